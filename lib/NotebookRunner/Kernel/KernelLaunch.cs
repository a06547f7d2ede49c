using System.Diagnostics;

namespace NotebookRunner.Kernel;

/// <summary>
/// How VS Code's Polyglot extension starts a notebook's kernel, and so how the runner starts it. The extension takes
/// the setting <c>dotnet-interactive.kernelTransportArgs</c> as a template whose first element is the program, and
/// <c>dotnet-interactive.kernelTransportWorkingDirectory</c> as the process's folder; it replaces
/// <c>{dotnet_path}</c>, <c>{working_dir}</c> (the notebook's folder) and <c>{global_storage_path}</c> (the folder
/// where it installed the tool with a tool manifest). Its defaults are <see cref="DefaultArguments"/> and
/// <see cref="DefaultWorkingDirectory"/> (src/polyglot-notebooks-vscode/package.json and
/// src/polyglot-notebooks-vscode-common/src/utilities.ts in dotnet/interactive). The runner uses those defaults, with
/// the repository's <c>.config/dotnet-tools.json</c> in the tool folder's place.
/// </summary>
public sealed record KernelLaunch(string Program, IReadOnlyList<string> Arguments, string WorkingDirectory)
{
    public const string ToolManifest = ".config/dotnet-tools.json";

    public static readonly IReadOnlyList<string> DefaultArguments =
        ["{dotnet_path}", "tool", "run", "dotnet-interactive", "--", "[vscode]", "stdio", "--working-dir", "{working_dir}"];

    public const string DefaultWorkingDirectory = "{global_storage_path}";

    /// <summary>The extension's <c>processArguments</c>: the template with its three placeholders replaced.</summary>
    public static KernelLaunch FromTemplate(IReadOnlyList<string> arguments, string workingDirectory,
        string notebookDirectory, string toolDirectory, string dotnetPath)
    {
        if (arguments.Count == 0)
            throw new KernelStartException(
                "the kernel's launch command is empty: the setting dotnet-interactive.kernelTransportArgs has no program "
                + "(VS Code would start 'undefined'). Remove the setting to use the extension's default.");
        string Replace(string s) => s.Replace("{dotnet_path}", dotnetPath).Replace("{working_dir}", notebookDirectory)
            .Replace("{global_storage_path}", toolDirectory);
        return new KernelLaunch(Replace(arguments[0]), arguments.Skip(1).Select(Replace).ToList(), Replace(workingDirectory));
    }

    /// <summary>The default launch for a notebook in <paramref name="notebookDirectory"/>, with the pinned tool.</summary>
    public static KernelLaunch For(string notebookDirectory) =>
        FromTemplate(DefaultArguments, DefaultWorkingDirectory, notebookDirectory, FindToolDirectory(notebookDirectory), DotNet.HostPath());

    /// <summary>
    /// The folder whose <see cref="ToolManifest"/> pins dotnet-interactive: the notebook's folder or one above it, else
    /// the current folder or one above it, else the runner's own folder or one above it.
    /// </summary>
    public static string FindToolDirectory(string notebookDirectory)
    {
        foreach (var start in new[] { notebookDirectory, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var manifest = Path.Combine(d.FullName, ToolManifest);
                if (File.Exists(manifest) && File.ReadAllText(manifest).Contains("\"dotnet-interactive\"", StringComparison.Ordinal))
                    return d.FullName;
            }
        throw new KernelStartException(
            $"no {ToolManifest} that pins dotnet-interactive was found above {notebookDirectory}, the current folder or the "
            + "runner. Run from the repository (its manifest pins Microsoft.dotnet-interactive, which `dotnet build` restores).");
    }

    public ProcessStartInfo StartInfo()
    {
        var start = new ProcessStartInfo(Program)
        {
            UseShellExecute = false,
            WorkingDirectory = WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
        };
        foreach (var a in Arguments) start.ArgumentList.Add(a);
        return start;
    }

    public override string ToString() => string.Join(' ', new[] { Program }.Concat(Arguments).Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
}

/// <summary>The kernel could not be started, or did not report ready: what was run, and what it said.</summary>
public sealed class KernelStartException(string message) : Exception(message);
