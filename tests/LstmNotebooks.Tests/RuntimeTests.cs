using System.Runtime.InteropServices;
using LstmNotebooks.Runtime;

namespace LstmNotebooks.Tests;

public class RuntimeTests
{
    [Fact]
    public void TorchSharp_loads_and_reports_the_runtime()
    {
        var summary = TorchRuntime.EnsureAvailable();
        Assert.Equal("0.107.0", summary.TorchSharpVersion);
        Assert.Contains("TorchSharp 0.107.0", summary.ToString());
    }

    [Fact]
    public void Thread_policy_is_applied_when_the_library_loads()
    {
        TorchRuntime.EnsureAvailable();
        Assert.Equal(ThreadPolicy.RequestedThreadCount, ThreadPolicy.CurrentThreadCount);
        Assert.Equal(ThreadPolicy.RequestedThreadCount, torch.get_num_threads());
    }

    [Fact]
    public void Thread_policy_reaches_threads_other_than_the_one_that_loaded_the_library()
    {
        TorchRuntime.EnsureAvailable();
        var expected = ThreadPolicy.RequestedThreadCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var seen = new List<string?>();
        var torchThreads = 0;
        var other = new Thread(() =>
        {
            foreach (var name in ThreadPolicy.NativeThreadVariables) seen.Add(NativeEnvironment(name));
            torchThreads = torch.get_num_threads();
        });
        other.Start();
        other.Join();

        Assert.Equal(ThreadPolicy.NativeThreadVariables.Select(_ => (string?)expected), seen);
        Assert.Equal(ThreadPolicy.RequestedThreadCount, torchThreads);
    }

    private static string? NativeEnvironment(string name) =>
        OperatingSystem.IsWindows() ? Environment.GetEnvironmentVariable(name) : Marshal.PtrToStringUTF8(getenv(name));

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr getenv(string name);

    [Theory]
    [InlineData(null, ThreadPolicy.DefaultThreadCount)]
    [InlineData("", ThreadPolicy.DefaultThreadCount)]
    [InlineData(" 2 ", 2)]
    [InlineData("1", 1)]
    public void Thread_count_comes_from_the_environment_or_the_default(string? value, int expected) =>
        Assert.Equal(expected, ThreadPolicy.Parse(value));

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("two")]
    [InlineData("100000")]
    public void A_bad_thread_count_names_the_variable(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => ThreadPolicy.Parse(value));
        Assert.Contains(ThreadPolicy.EnvironmentVariable, e.Message);
        Assert.Contains(value, e.Message);
    }

    [Fact]
    public void An_old_libstdcxx_gets_one_paragraph_naming_the_symbol_and_the_script()
    {
        var fakeOld = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(fakeOld, System.Text.Encoding.ASCII.GetBytes("\0GLIBCXX_3.4.29\0GLIBCXX_3.4.30\0"));
            var native = new DllNotFoundException(
                "Unable to load shared library 'LibTorchSharp': /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found\nmore lines");
            var text = NativeLibraryDiagnosis.Explain(new TypeInitializationException("TorchSharp.torch", native), fakeOld);

            Assert.Contains("GLIBCXX_3.4.32", text);
            Assert.Contains(NativeLibraryDiagnosis.RootfsScript, text);
            Assert.Contains("devcontainer", text);
            Assert.Contains(fakeOld, text);
            Assert.DoesNotContain("\n", text);
            Assert.DoesNotContain("more lines", text);
        }
        finally { File.Delete(fakeOld); }
    }

    [Fact]
    public void A_current_libstdcxx_gets_the_generic_guidance()
    {
        var fakeNew = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(fakeNew, System.Text.Encoding.ASCII.GetBytes("\0GLIBCXX_3.4.32\0"));
            var text = NativeLibraryDiagnosis.Explain(new DllNotFoundException("LibTorchSharp"), fakeNew);
            Assert.Contains("TorchSharp-cpu 0.107.0", text);
            Assert.DoesNotContain(NativeLibraryDiagnosis.RootfsScript, text);
        }
        finally { File.Delete(fakeNew); }
    }

    [Fact]
    public void Native_load_failures_are_recognised_through_wrappers()
    {
        Assert.True(TorchRuntime.IsNativeLoadFailure(new TypeInitializationException("T", new DllNotFoundException("x"))));
        Assert.True(TorchRuntime.IsNativeLoadFailure(new NotSupportedException("The LibTorchSharp native library could not be loaded")));
        Assert.False(TorchRuntime.IsNativeLoadFailure(new InvalidOperationException("shape mismatch")));
    }
}
