using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AdWallet.Benchmarks.Harness;

namespace AdWallet.Benchmarks.Standalone;

/// <summary>
/// The Api project's Release build run as a child process, as an operator runs it: its embedded silo on a temporary
/// data folder, a random signing key, logging at Warning, listening on a free loopback port.
/// </summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ApiProcess(Process process, string dll, string dataFolder, string signingKey, int port)
    {
        _process = process;
        Dll = dll;
        DataFolder = dataFolder;
        SigningKey = signingKey;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public string Dll { get; }

    public string DataFolder { get; }

    public string SigningKey { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts the API with <paramref name="settings"/> (configuration keys as environment variables) and waits until it is ready.</summary>
    public static async Task<ApiProcess> StartAsync(string suite, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = FindApi();
        var dataFolder = BenchSilo.NewDataFolder();
        var signingKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var port = FreePort();
        var start = StartInfo(dll, [], dataFolder, signingKey);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {suite}: starting {dll} on port {port}...");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"  api| {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"  api| {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var api = new ApiProcess(process, dll, dataFolder, signingKey, port);
        await api.WaitReadyAsync(suite);
        return api;
    }

    /// <summary>A bearer token for <paramref name="userId"/>, from the API's own <c>token</c> command with the same key.</summary>
    public async Task<string> TokenAsync(string userId)
    {
        using var process = Process.Start(StartInfo(Dll, ["token", userId], DataFolder, SigningKey))!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"token {userId} exited {process.ExitCode}: {error}");
        return output.Trim().Split('\n')[^1].Trim();
    }

    /// <summary>The process's resident anonymous memory (RssAnon in /proc), in bytes: what it allocated, not mapped files.</summary>
    public long AnonymousResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{ProcessId}/status"))
        {
            if (!line.StartsWith("RssAnon:", StringComparison.Ordinal)) continue;
            return long.Parse(line["RssAnon:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException("RssAnon is not in /proc/<pid>/status.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitReadyAsync(string suite)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited) throw new InvalidOperationException($"The API exited with {_process.ExitCode} before it was ready.");
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {suite}: API ready after {clock.Elapsed.TotalSeconds:0.0} s");
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("The API was not ready within 60 s.");
    }

    private static string FindApi()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "Api", "bin", ResultTable.BuildConfiguration, "net10.0", "AdWallet.Api.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("AdWallet.Api.dll not found next to the harness: build it with `dotnet build -c Release Benchmarks` (it builds Api).");
    }

    private static ProcessStartInfo StartInfo(string apiDll, IEnumerable<string> args, string dataFolder, string signingKey)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(apiDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(apiDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["Data__Path"] = dataFolder;
        start.Environment["Auth__SigningKey"] = signingKey;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return start;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
