using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AdWallet.Dashboard.Tests;

/// <summary>The API, as an operator runs it: its own process, on a free port and a data folder of its own.</summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private const string SigningKey = "dashboard-tests-signing-key-0123456789abcdef";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dataPath;

    private ApiProcess(Process process, string dataPath, Uri address)
    {
        _process = process;
        _dataPath = dataPath;
        Address = address;
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static async Task<ApiProcess> StartAsync(TimeSpan bound)
    {
        var dataPath = Directory.CreateTempSubdirectory("adwallet-dashboard-").FullName;
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var process = Start(dataPath, "--urls", address.ToString().TrimEnd('/'), "--Data:Path", dataPath);
        var api = new ApiProcess(process, dataPath, address);
        process.OutputDataReceived += (_, line) => api.Append(line.Data);
        process.ErrorDataReceived += (_, line) => api.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await api.WaitUntilReadyAsync(bound);
        return api;
    }

    /// <summary>A token from the API's own <c>token</c> command, as the README tells an operator to get one.</summary>
    public async Task<string> TokenAsync(string userId, bool isOperator)
    {
        using var command = Start(_dataPath, isOperator ? ["token", userId, "--operator"] : ["token", userId]);
        var output = await command.StandardOutput.ReadToEndAsync();
        await command.WaitForExitAsync();
        if (command.ExitCode != 0) throw new InvalidOperationException($"The token command failed: {output}");
        return output.Trim().Split('\n')[^1].Trim();
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
            Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by an exiting process: the temp folder is cleaned later.
        }
    }

    private static Process Start(string dataPath, params string[] arguments)
    {
        var api = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "Api", "bin", Configuration, "net10.0", "AdWallet.Api.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataPath,
        };
        start.ArgumentList.Add(Path.GetFullPath(api));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["Auth__SigningKey"] = SigningKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return Process.Start(start) ?? throw new InvalidOperationException("The API did not start.");
    }

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private async Task WaitUntilReadyAsync(TimeSpan bound)
    {
        using var http = new HttpClient { BaseAddress = Address };
        var deadline = DateTime.UtcNow + bound;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The API exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The API was not ready within {bound}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
