using System.Reflection;
using System.Text.Json.Nodes;

namespace NotebookRunner.Worker;

/// <summary>
/// The NuGet packages the runner's kernel ships (see NotebookRunner.csproj, "Notebook packages"), read from its
/// own deps.json. <c>#r "nuget: Name, Version"</c> resolves here, offline, with the version checked, and
/// adds the package's assemblies and its dependencies' assemblies as references, as a NuGet restore would.
/// </summary>
internal sealed class PackageCatalog
{
    /// <summary>A package as deps.json describes it: its runtime assemblies and the packages it depends on.</summary>
    internal sealed record Package(string Name, string Version, IReadOnlyList<string> RuntimeAssets, IReadOnlyList<string> Dependencies);

    private readonly Dictionary<string, Package> _packages;

    public PackageCatalog(IEnumerable<Package> packages) =>
        _packages = packages.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

    public static PackageCatalog ForThisProcess()
    {
        var depsFiles = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var besideRunner = Path.ChangeExtension(typeof(PackageCatalog).Assembly.Location, ".deps.json");
        var deps = File.Exists(besideRunner) ? besideRunner : depsFiles.FirstOrDefault();
        if (deps is null || !File.Exists(deps)) throw new InvalidOperationException("the runner has no deps.json; it cannot resolve #r \"nuget:\"");
        return FromDepsJson(File.ReadAllText(deps));
    }

    /// <summary>Reads the "package" libraries of a deps.json with their runtime assets and dependencies.</summary>
    public static PackageCatalog FromDepsJson(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var target = root["runtimeTarget"]?["name"]?.GetValue<string>();
        var targets = root["targets"]!.AsObject();
        var libraries = (target is not null ? targets[target] : targets.First().Value)!.AsObject();
        var types = root["libraries"]!.AsObject();
        var packages = new List<Package>();
        foreach (var (key, value) in libraries)
        {
            if (types[key]?["type"]?.GetValue<string>() != "package" || value is not JsonObject lib) continue;
            var slash = key.IndexOf('/');
            var assets = (lib["runtime"] as JsonObject)?.Select(kv => kv.Key).ToList() ?? [];
            var dependencies = (lib["dependencies"] as JsonObject)?.Select(kv => kv.Key).ToList() ?? [];
            packages.Add(new Package(key[..slash], key[(slash + 1)..], assets, dependencies));
        }
        return new PackageCatalog(packages);
    }

    /// <summary>Resolves a package reference to the assemblies to reference, or explains why it cannot.</summary>
    public IReadOnlyList<Assembly> Resolve(string name, string? version)
    {
        if (!_packages.TryGetValue(name, out var package))
            throw new DirectiveException(
                $"package '{name}' is not available to notebooks here: the runner resolves #r \"nuget:\" from the packages "
                + "it ships (NotebookRunner.csproj, 'Notebook packages'), which are: "
                + string.Join(", ", TopLevelPackages().Select(p => $"{p.Name} {p.Version}")));
        if (!VersionMatches(version, package.Version))
            throw new DirectiveException(
                $"version conflict: the notebook asks for {name} {version}, the runner has {name} {package.Version}; "
                + $"change the directive to #r \"nuget: {package.Name}, {package.Version}\"");

        var assemblies = new List<Assembly>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Collect(package, assemblies, seen);
        return assemblies;
    }

    private IEnumerable<Package> TopLevelPackages()
    {
        var dependedOn = _packages.Values.SelectMany(p => p.Dependencies).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return _packages.Values.Where(p => !dependedOn.Contains(p.Name) || p.Name.StartsWith("TorchSharp", StringComparison.Ordinal))
            .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase);
    }

    private void Collect(Package package, List<Assembly> into, HashSet<string> seen)
    {
        if (!seen.Add(package.Name)) return;
        foreach (var asset in package.RuntimeAssets)
        {
            var assemblyName = Path.GetFileNameWithoutExtension(asset);
            try { into.Add(Assembly.Load(new AssemblyName(assemblyName))); }
            catch (FileNotFoundException) { /* platform-specific asset not present on this RID */ }
        }
        foreach (var dependency in package.Dependencies)
            if (_packages.TryGetValue(dependency, out var dep)) Collect(dep, into, seen);
    }

    /// <summary>No version, "*", a range whose lower bound is ours, or the exact version.</summary>
    internal static bool VersionMatches(string? requested, string available)
    {
        if (string.IsNullOrWhiteSpace(requested) || requested.Trim() is "*" or "*-*") return true;
        var r = requested.Trim();
        if (r.StartsWith('[') || r.StartsWith('('))
        {
            var inner = r.Trim('[', ']', '(', ')').Split(',');
            return inner.Length == 1 ? inner[0].Trim() == available : inner[0].Trim() == available || inner[0].Trim().Length == 0;
        }
        if (r.EndsWith(".*", StringComparison.Ordinal)) return available.StartsWith(r[..^1], StringComparison.Ordinal);
        return string.Equals(r, available, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A directive (#r, #i, #!) that cannot be carried out; the kernel reports it with cell and line.</summary>
internal sealed class DirectiveException(string message) : Exception(message)
{
    public int Line { get; init; }
}
