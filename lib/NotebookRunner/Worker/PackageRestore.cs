using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookRunner.Execution;

namespace NotebookRunner.Worker;

/// <summary>A package a notebook asked for with <c>#r "nuget: Name[, Version]"</c>; no version means the latest.</summary>
internal sealed record PackageRequest(string Name, string? Version)
{
    public string VersionOrLatest => string.IsNullOrWhiteSpace(Version) ? "*" : Version.Trim();

    /// <summary>True when this request is met by a package already asked for: any version, or the same one.</summary>
    public bool IsMetBy(PackageRequest earlier) =>
        VersionOrLatest is "*" or "*-*" || string.Equals(VersionOrLatest, earlier.VersionOrLatest, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A restored package: where it lies and the files a process loads from it.</summary>
internal sealed record RestoredPackage(string Name, string Version, string Root, IReadOnlyList<string> Assemblies, IReadOnlyList<string> NativeLibraries);

/// <summary>
/// Restores <c>#r "nuget:"</c> packages as the .NET Interactive kernel does: every package the notebook asked for so
/// far, in one restore of a generated project for the kernel's framework (net10.0) and this machine's runtime, from
/// the configured NuGet sources plus those given with <c>#i</c> (offline when the global packages folder already has
/// them). The resolved file lists are cached by request, as the kernel's package manager caches its results.
/// </summary>
internal sealed class PackageRestore(string cacheDirectory)
{
    public const string TargetFramework = "net10.0";

    public static PackageRestore ForThisUser()
    {
        var cacheHome = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return new PackageRestore(Path.Combine(cacheHome, "notebook-runner", "restore"));
    }

    public IReadOnlyList<RestoredPackage> Restore(IReadOnlyList<PackageRequest> packages, IReadOnlyList<string> sources)
    {
        var project = ProjectText(packages, sources);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(project)))[..24].ToLowerInvariant();
        var cached = Path.Combine(cacheDirectory, key + ".json");
        if (ReadCache(cached) is { } hit) return hit;

        var work = Path.Combine(Path.GetTempPath(), $"nbrun-restore-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            File.WriteAllText(Path.Combine(work, "restore.csproj"), project);
            var (exitCode, stdout, stderr) = RunMsbuild(work);
            if (exitCode != 0) throw new DirectiveException(Failure(packages, stdout + "\n" + stderr));
            var restored = Parse(stdout);
            WriteCache(cached, restored);
            return restored;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string ProjectText(IReadOnlyList<PackageRequest> packages, IReadOnlyList<string> sources)
    {
        var xml = new StringBuilder();
        xml.Append("<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n");
        xml.Append($"    <TargetFramework>{TargetFramework}</TargetFramework>\n");
        xml.Append($"    <RuntimeIdentifier>{RuntimeInformation.RuntimeIdentifier}</RuntimeIdentifier>\n");
        xml.Append("    <SelfContained>false</SelfContained>\n    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>\n");
        xml.Append("    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>\n    <ImportDirectoryBuildTargets>false</ImportDirectoryBuildTargets>\n");
        xml.Append("    <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>\n");
        if (sources.Count > 0) xml.Append($"    <RestoreAdditionalProjectSources>{Escape(string.Join(';', sources))}</RestoreAdditionalProjectSources>\n");
        xml.Append("  </PropertyGroup>\n  <ItemGroup>\n");
        foreach (var p in packages)
            xml.Append($"    <PackageReference Include=\"{Escape(p.Name)}\" Version=\"{Escape(p.VersionOrLatest)}\" />\n");
        xml.Append("  </ItemGroup>\n</Project>\n");
        return xml.ToString();
    }

    private static string Escape(string s) => System.Security.SecurityElement.Escape(s) ?? "";

    private static (int ExitCode, string Stdout, string Stderr) RunMsbuild(string work)
    {
        var start = new ProcessStartInfo(DotNet.HostPath())
        {
            WorkingDirectory = work, UseShellExecute = false,
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var a in new[] { "msbuild", "restore.csproj", "-restore", "-nologo", "-v:q", "-nodeReuse:false",
                     "-t:ResolvePackageAssets", "-getItem:RuntimeCopyLocalItems", "-getItem:NativeCopyLocalItems" })
            start.ArgumentList.Add(a);
        // The notebook's process environment must not redirect the nested build (e.g. a test host's MSBuild settings).
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH" }) start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new DirectiveException("could not start 'dotnet msbuild' to restore packages");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    private static string Failure(IReadOnlyList<PackageRequest> packages, string output)
    {
        var errors = output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(": error ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(": error ", StringComparison.Ordinal) + 2)..]).Distinct().Take(8).ToList();
        var asked = string.Join(", ", packages.Select(p => $"{p.Name} {p.VersionOrLatest}"));
        return $"could not restore {asked}: " + (errors.Count > 0 ? string.Join("; ", errors) : output.Trim());
    }

    /// <summary>Reads msbuild's -getItem JSON (after any warnings it printed): the runtime assemblies and native libraries, grouped by package.</summary>
    internal static IReadOnlyList<RestoredPackage> Parse(string output)
    {
        var start = output.IndexOf('{');
        var end = output.LastIndexOf('}');
        if (start < 0 || end < start) throw new DirectiveException($"the restore printed no list of resolved files: {output.Trim()}");
        var json = output[start..(end + 1)];
        var items = JsonNode.Parse(json)!["Items"]!.AsObject();
        var files = new List<(string Id, string Version, string Path, bool Native)>();
        foreach (var (group, native) in new[] { ("RuntimeCopyLocalItems", false), ("NativeCopyLocalItems", true) })
            foreach (var item in items[group]?.AsArray() ?? [])
            {
                var id = item!["NuGetPackageId"]?.GetValue<string>();
                var version = item["NuGetPackageVersion"]?.GetValue<string>();
                var path = item["FullPath"]?.GetValue<string>() ?? item["Identity"]!.GetValue<string>();
                if (id is null || version is null) continue;
                if (!native && !path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) continue;
                files.Add((id, version, path, native));
            }
        return files.GroupBy(f => (f.Id, f.Version)).Select(g =>
        {
            var root = PackageRoot(g.First().Path, g.Key.Version);
            return new RestoredPackage(g.Key.Id, g.Key.Version, root,
                g.Where(f => !f.Native).Select(f => f.Path).ToList(), g.Where(f => f.Native).Select(f => f.Path).ToList());
        }).OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The package's folder in the global packages folder: …/name/version/.</summary>
    private static string PackageRoot(string file, string version)
    {
        for (var dir = Path.GetDirectoryName(file); dir is not null; dir = Path.GetDirectoryName(dir))
            if (string.Equals(Path.GetFileName(dir), version, StringComparison.OrdinalIgnoreCase)) return dir;
        return Path.GetDirectoryName(file)!;
    }

    private static IReadOnlyList<RestoredPackage>? ReadCache(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            var packages = JsonSerializer.Deserialize<List<RestoredPackage>>(File.ReadAllText(path));
            // A cache entry is good while every file it names is still in the packages folder.
            return packages is not null && packages.All(p => p.Assemblies.Concat(p.NativeLibraries).All(File.Exists)) ? packages : null;
        }
        catch (JsonException) { return null; }
        catch (IOException) { return null; }
    }

    private static void WriteCache(string path, IReadOnlyList<RestoredPackage> packages)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(packages));
            File.Move(temp, path, overwrite: true);
        }
        catch (IOException) { /* a cache that cannot be written only costs the next run a restore */ }
        catch (UnauthorizedAccessException) { }
    }
}
