using System.Runtime.InteropServices;
using LstmNotebooks.Benchmarks;
using LstmNotebooks.Runtime;

// bench: times the course's code paths, measures memory, and prints the ratio table against PyTorch's reference.
// Usually started by bench/run, which runs the PyTorch side first and passes --reference.

var settings = BenchSettings.Parse(args);
if (settings is null) return 2;

TorchRuntime.EnsureAvailable();
var policyThreads = ThreadPolicy.CurrentThreadCount;
var report = new BenchReport
{
    Machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.ProcessArchitecture}, "
        + $".NET {Environment.Version}, TorchSharp {typeof(torch).Assembly.GetName().Version}, {policyThreads} thread(s) (the thread policy), MKL dispatch: {MklCpuDispatch.State}",
};
if (settings.Reference is { } reference) report.LoadReference(reference);
Console.Error.WriteLine(report.Machine);

var training = new TrainingBenchmarks(settings);
bool Wanted(string group) => settings.Only is null || settings.Only.Contains(group);

if (Wanted("training"))
{
    Console.Error.WriteLine("training (the library's code paths, tutorial scale):");
    report.Training.Add(training.MlpEpoch());
    report.Training.Add(training.AirlineEpoch(1));
    report.Training.Add(training.AirlineEpoch(4));
    report.Training.Add(training.SineClosure());
    if (!settings.Quick) report.Training.Add(training.SineLbfgsStep());
    report.Training.Add(training.SineForecast());
    report.Training.Add(training.Chapter5Builder());
}

if (Wanted("threads") && !settings.Quick)
{
    // The thread policy's evidence: the same cases with two threads.
    Console.Error.WriteLine("thread policy check (2 threads):");
    torch.set_num_threads(2);
    foreach (var m in new[] { training.MlpEpoch(), training.AirlineEpoch(4), training.SineClosure() })
        report.ThreadChecks.Add(m with { Name = m.Name + " @ 2 threads" });
    torch.set_num_threads(policyThreads);
}

if (Wanted("memory"))
{
    Console.Error.WriteLine("memory:");
    var memory = new MemoryBenchmarks(settings);
    report.Memory.Add(memory.MlpGrowth());
    report.Memory.Add(memory.AirlineGrowth());
    report.TensorCounts.AddRange(memory.TensorCountsPerStep());
}

if (Wanted("runner"))
{
    Console.Error.WriteLine("runner:");
    report.Runner.AddRange(new RunnerBenchmarks(settings).Run());
}

report.PeakRssMiB = ResidentMemory.PeakMiB;
Directory.CreateDirectory(settings.OutputDirectory);
File.WriteAllText(Path.Combine(settings.OutputDirectory, "torchsharp.json"), report.Json());
var markdown = report.Markdown();
File.WriteAllText(Path.Combine(settings.OutputDirectory, "results.md"), markdown);
Console.WriteLine();
Console.WriteLine(markdown);
Console.WriteLine($"(written to {Path.Combine(settings.OutputDirectory, "results.md")} and torchsharp.json)");
return 0;
