using System.Diagnostics;

namespace AdWallet.Cluster.Tests;

/// <summary>
/// <c>dotnet &lt;assembly&gt; args</c> as a child process whose output goes to a log file. Killed (SIGKILL) on dispose, and
/// when the test process exits, so no child outlives the test.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private static readonly List<ChildProcess> Running = [];

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private bool _disposed;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            ChildProcess[] children;
            lock (Running) children = [.. Running];
            foreach (var child in children) child.Dispose();
        };
    }

    private ChildProcess(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string name, string assemblyPath, IEnumerable<string> arguments, string logPath)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, logPath);
        child.Write($"# {DateTimeOffset.Now:HH:mm:ss.fff} dotnet {string.Join(' ', start.ArgumentList)}");
        process.OutputDataReceived += (_, line) => child.Write(line.Data);
        process.ErrorDataReceived += (_, line) => child.Write(line.Data);
        process.Exited += (_, _) => child.Write($"# {DateTimeOffset.Now:HH:mm:ss.fff} exited");
        lock (Running) Running.Add(child);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGKILL on Linux: no shutdown, no goodbye to the cluster.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            throw new InvalidOperationException($"{Name} (pid {Id}) did not exit within 10 s of SIGKILL.");
    }

    /// <summary>SIGSTOP: the process stops running, its sockets stay open (the kernel still accepts connections to it).</summary>
    public void Freeze() => Signal(SigStop, "SIGSTOP");

    /// <summary>SIGCONT after <see cref="Freeze"/>.</summary>
    public void Thaw() => Signal(SigCont, "SIGCONT");

    private const int SigStop = 19;
    private const int SigCont = 18;

    private void Signal(int signal, string name)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException($"{name} is sent on Linux only.");
        if (SendSignal(Id, signal) != 0)
            throw new InvalidOperationException($"kill({Id}, {name}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}.");
        Write($"# {DateTimeOffset.Now:HH:mm:ss.fff} {name} sent by the test");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>The last lines of the log, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        lock (_logLock)
        {
            _log.Flush();
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return string.Join(Environment.NewLine, reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            Kill();
        }
        finally
        {
            lock (Running) Running.Remove(this);
            lock (_logLock) _log.Dispose();
            _process.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null) return;
        lock (_logLock)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after the process was disposed.
            }
        }
    }
}
