using NotebookRunner.Cli;
using NotebookRunner.Document;
using NotebookRunner.Host;
using NotebookRunner.Output;
using NotebookRunner.Parameters;
using System.Runtime.InteropServices;

// Ctrl-C and SIGTERM stop the running cell (its kernel is killed); the executed notebook keeps every cell that ran.
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupt.Cancel(); };
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; interrupt.Cancel(); });
try
{
    return await RunnerCli.RunAsync(args, Console.Out, Console.Error, interrupt.Token);
}
catch (Exception e)
{
    // Nothing reaches the user as a stack trace: one line, and the usage-or-environment exit code.
    Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
    return RunnerCli.UsageError;
}

namespace NotebookRunner.Cli
{
    /// <summary>The command line: arguments → notebooks → live progress → summary table → exit code.</summary>
    public static class RunnerCli
    {
        public const int Passed = 0, Failed = 1, UsageError = 2, Interrupted = 130;

        public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errors,
            CancellationToken interrupt = default)
        {
            CommandLine cl;
            List<string> notebooks;
            string? outputDirectory;
            try
            {
                cl = CommandLine.Parse(args);
                if (cl.Help) { output.WriteLine(CommandLine.Usage); return Passed; }
                (notebooks, outputDirectory) = Locate(cl);
            }
            catch (UsageException e)
            {
                errors.WriteLine($"error: {e.Message}");
                errors.WriteLine("Run with --help for usage.");
                return UsageError;
            }

            if (cl.ExportAppsDirectory is { } appDirectory) return ExportApps(notebooks, Path.GetFullPath(appDirectory), output, errors);
            if (cl.ExportSavedDirectory is { } savedDirectory) return ExportSaved(notebooks, Path.GetFullPath(savedDirectory), cl.SavedNamespace!, output);

            if (outputDirectory is not null)
            {
                try { Directory.CreateDirectory(outputDirectory); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    errors.WriteLine($"error: cannot create the output folder {outputDirectory}: {e.Message}");
                    return UsageError;
                }
            }

            var progress = new ConsoleProgress(output);
            var rows = new List<SummaryRow>();
            var pages = new List<BookPage>();
            foreach (var path in notebooks)
            {
                var outPath = cl.InPlace ? path : Path.Combine(outputDirectory!, Path.GetFileName(path));
                var options = new NotebookRunOptions
                {
                    Parameters = cl.ParametersFor(path),
                    CellTimeout = cl.CellTimeout ?? NotebookRunOptions.DefaultCellTimeout,
                    NotebookTimeout = cl.NotebookTimeout ?? NotebookRunOptions.DefaultNotebookTimeout,
                    ContinueOnError = cl.ContinueOnError,
                    OutputPath = outPath,
                    InPlace = cl.InPlace,
                };
                SummaryRow row;
                try
                {
                    var result = await NotebookExecution.RunAsync(path, options, progress.Report, interrupt);
                    row = SummaryRow.From(result);
                    if (cl.Html && !cl.InPlace) pages.Add(BookWriter.WritePage(result, Path.ChangeExtension(outPath, ".html")));
                }
                catch (Exception e) when (e is NotebookFormatException or ParameterException or ArgumentException or IOException or UnauthorizedAccessException)
                {
                    var message = e is IOException or UnauthorizedAccessException ? $"{path}: {e.Message}" : e.Message;
                    output.WriteLine($"✗ {message}");
                    row = new SummaryRow(Path.GetFileName(path), "-", "FAILED", TimeSpan.Zero, message);
                    if (cl.Html && !cl.InPlace) pages.Add(new BookPage(path, null, false, TimeSpan.Zero, message));
                }
                rows.Add(row);
                if (interrupt.IsCancellationRequested)
                {
                    errors.WriteLine($"interrupted: {outPath} keeps the cells that ran and marks the interrupted one; the notebooks after it did not run");
                    break;
                }
                if (cl.FailFast && row.Status != "passed") break;
            }
            var indexFailure = false;
            if (cl.Html && !cl.InPlace && pages.Count > 0)
            {
                try { BookWriter.WriteIndex(pages, outputDirectory!, cl.Title); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    errors.WriteLine($"error: cannot write {Path.Combine(outputDirectory!, "index.html")}: {e.Message}");
                    indexFailure = true;
                }
            }

            SummaryRow.Print(rows, output);
            if (!cl.InPlace) output.WriteLine($"Executed notebooks{(cl.Html ? " and HTML pages" : "")}: {outputDirectory}");
            if (interrupt.IsCancellationRequested) return Interrupted;
            return rows.All(r => r.Status == "passed") && !indexFailure ? Passed : Failed;
        }

        private static int ExportApps(IReadOnlyList<string> notebooks, string appDirectory, TextWriter output, TextWriter errors)
        {
            var host = AppHostProject.Locate();
            if (host is null)
            {
                errors.WriteLine("error: NotebookApp.csproj (what exported apps run on) was not found above the runner");
                return UsageError;
            }
            return ExportEach(notebooks, appDirectory, output, path =>
                (Path.GetFileNameWithoutExtension(path) + ".cs", AppExporter.Export(NotebookReader.Read(path), appDirectory, host)));
        }

        private static int ExportSaved(IReadOnlyList<string> notebooks, string directory, string @namespace, TextWriter output) =>
            ExportEach(notebooks, directory, output, path =>
            {
                var displayPath = Path.GetRelativePath(Path.GetDirectoryName(Path.GetDirectoryName(path)!)!, path).Replace('\\', '/');
                return (SavedCodeExporter.ClassName(path) + ".cs", SavedCodeExporter.Export(NotebookReader.Read(path), @namespace, displayPath));
            });

        /// <summary>
        /// Writes one file per notebook into <paramref name="directory"/> (none when <paramref name="export"/> gives no
        /// code), a ✓ or ✗ line each; a notebook that cannot be exported is reported and the others go on.
        /// </summary>
        private static int ExportEach(IReadOnlyList<string> notebooks, string directory, TextWriter output, Func<string, (string FileName, string? Code)> export)
        {
            Directory.CreateDirectory(directory);
            var failed = 0;
            foreach (var path in notebooks)
            {
                try
                {
                    var (fileName, code) = export(path);
                    if (code is null) continue;
                    var target = Path.Combine(directory, fileName);
                    File.WriteAllText(target, code, new System.Text.UTF8Encoding(false));
                    output.WriteLine($"✓ {Path.GetRelativePath(Directory.GetCurrentDirectory(), target)}");
                }
                catch (Exception e) when (e is AppExportException or SavedCodeException or NotebookFormatException or ParameterException or IOException)
                {
                    output.WriteLine($"✗ {e.Message}");
                    failed++;
                }
            }
            return failed == 0 ? Passed : Failed;
        }

        private static (List<string> Notebooks, string? OutputDirectory) Locate(CommandLine cl)
        {
            var notebooks = new List<string>();
            string? root = null;
            if (cl.Paths.Count == 0)
            {
                root = FindUpwards(Directory.GetCurrentDirectory(), d => Directory.Exists(Path.Combine(d, "notebooks")))
                       ?? throw new UsageException("no paths given and no notebooks/ folder here or above");
                notebooks.AddRange(Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal));
            }
            foreach (var p in cl.Paths)
            {
                if (Directory.Exists(p)) notebooks.AddRange(Directory.GetFiles(p, "*.ipynb").Order(StringComparer.Ordinal));
                else if (File.Exists(p)) notebooks.Add(p);
                else throw new UsageException($"'{p}' does not exist (looked for {Path.GetFullPath(p)})");
            }
            notebooks = notebooks.Select(Path.GetFullPath).Distinct().ToList();
            if (notebooks.Count == 0) throw new UsageException("no notebooks to run");
            if (cl.InPlace || cl.ExportAppsDirectory is not null || cl.ExportSavedDirectory is not null) return (notebooks, null);

            root ??= FindUpwards(Path.GetDirectoryName(notebooks[0])!, d => Directory.Exists(Path.Combine(d, "notebooks")))
                     ?? Directory.GetCurrentDirectory();
            var outDir = Path.GetFullPath(cl.OutputDirectory ?? Path.Combine(root, "artifacts", "notebooks"));
            var sources = notebooks.Select(Path.GetDirectoryName).Distinct().ToList();
            if (sources.Contains(outDir)) throw new UsageException($"--out {outDir} is the notebooks' own folder; use --in-place to overwrite them");
            return (notebooks, outDir);
        }

        private static string? FindUpwards(string start, Func<string, bool> found)
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (found(d.FullName)) return d.FullName;
            return null;
        }
    }

    internal sealed record SummaryRow(string Notebook, string Cells, string Status, TimeSpan Duration, string? Failure)
    {
        public static SummaryRow From(NotebookRunResult r)
        {
            var code = r.Cells.Where(c => c.Cell.Kind == CellKind.Code).ToList();
            var ran = code.Count(c => c.Status is CellStatus.Completed);
            return new SummaryRow(Path.GetFileName(r.NotebookPath), $"{ran}/{code.Count}", r.Succeeded ? "passed" : "FAILED", r.Duration, r.FailureMessage);
        }

        public static void Print(IReadOnlyList<SummaryRow> rows, TextWriter output)
        {
            var width = Math.Max(8, rows.Max(r => r.Notebook.Length));
            output.WriteLine();
            output.WriteLine($"{"notebook".PadRight(width)}  {"cells",7}  {"status",-7}  {"time",8}");
            output.WriteLine(new string('-', width + 29));
            foreach (var r in rows)
                output.WriteLine($"{r.Notebook.PadRight(width)}  {r.Cells,7}  {r.Status,-7}  {r.Duration.TotalSeconds,7:0.0}s");
            var failures = rows.Where(r => r.Failure is not null).ToList();
            if (failures.Count > 0)
            {
                output.WriteLine();
                foreach (var f in failures) output.WriteLine($"✗ {f.Failure}");
            }
            output.WriteLine();
            output.WriteLine($"{rows.Count(r => r.Status == "passed")} passed, {rows.Count(r => r.Status != "passed")} failed");
        }
    }
}
