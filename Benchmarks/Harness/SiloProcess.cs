using System.Diagnostics;

namespace Granary.Benchmarks.Harness;

/// <summary>
/// One silo of the platform in a process of its own: the Silo project's executable (<c>AdWallet.Silo</c>, built next to
/// the benchmarks because they reference it) in cluster mode, with logging down to warnings. Its output is kept, last
/// lines only, to explain a silo that fails to start or dies.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private const int KeptLines = 40;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private SiloProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Id => _process.Id;

    /// <summary>Where the silo listens: its address in the membership table is <c>127.0.0.1:Port</c>.</summary>
    public int Port { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The CPU time the silo used so far; after it exited, its total.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            try
            {
                return _process.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    /// <summary>The last lines the silo wrote, for a failure message.</summary>
    public string LastOutput
    {
        get
        {
            lock (_lastLines) return string.Join(Environment.NewLine, _lastLines);
        }
    }

    /// <summary>Starts a silo of the cluster whose state is in <paramref name="schema"/> of <paramref name="connectionString"/>, listening on <paramref name="port"/>.</summary>
    public static SiloProcess Start(string connectionString, string schema, int port)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var appHost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "AdWallet.Silo.exe" : "AdWallet.Silo");
        if (File.Exists(appHost))
        {
            start.FileName = appHost;
        }
        else
        {
            start.FileName = "dotnet";
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AdWallet.Silo.dll"));
        }
        foreach (var argument in new[]
                 {
                     "--Cluster:Mode=postgres",
                     $"--ConnectionStrings:Postgres={connectionString}",
                     $"--Postgres:Schema={schema}",
                     $"--Silo:Port={port}",
                     "--Logging:LogLevel:Default=Warning",
                 })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Benchmark";

        var process = new Process { StartInfo = start };
        var silo = new SiloProcess(process, port);
        process.OutputDataReceived += (_, line) => silo.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => silo.Keep(line.Data);
        if (!process.Start()) throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Stops the silo as an operator would (SIGTERM: it leaves the cluster), and kills it if it does not exit in time.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                RequestShutdown();
                using var timeout = new CancellationTokenSource(StopTimeout);
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine($"Silo process {Id} did not stop in {StopTimeout.TotalSeconds:0} s; killing it.");
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>
    /// A TCP port free now, from the system: the silo gets a known port, so its membership row can be matched to its
    /// process. Another program could take it in between; the silo would then fail to start, and say so.
    /// </summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void RequestShutdown()
    {
        if (OperatingSystem.IsWindows())
        {
            _process.Kill(entireProcessTree: true);
            return;
        }
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        });
        kill?.WaitForExit();
        if (kill is null || kill.ExitCode != 0) _process.Kill(entireProcessTree: true);
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines) _lastLines.Dequeue();
        }
    }
}
