using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AdWallet.Benchmarks.Harness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AdWallet.Benchmarks.Standalone;

/// <summary>
/// wrk against the real API (the Api project's build, started as a child process with its embedded silo on a
/// temporary data folder) and against a bare minimal API in this process that answers the same JSON bytes.
/// </summary>
internal sealed partial class HttpSuite : StandaloneSuite
{
    public override string Name => "http";

    protected override async Task<string> RunAsync(IReadOnlyDictionary<string, string> options)
    {
        var seconds = (int)Number(options, "duration", 10);
        var connections = Ints(options, "connections", 64)[0];
        var rounds = Ints(options, "rounds", 3)[0];
        var warmup = (int)Number(options, "warmup", 5);
        ApiProcess? api = null;
        WebApplication? bare = null;
        try
        {
            api = await ApiProcess.StartAsync(Name);
            var token = await api.TokenAsync("bench-user");
            var apiBase = api.BaseAddress.ToString().TrimEnd('/');
            var dataFolder = api.DataFolder;
            using var http = new HttpClient { BaseAddress = api.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            var created = await http.PostAsync("/v1/wallets", Json("""{"name":"Http bench","kind":"business","businessRegistrationNumber":"1234567890"}"""));
            var createdBody = await created.Content.ReadAsStringAsync();
            if (created.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"POST /v1/wallets answered {(int)created.StatusCode}: {createdBody}");
            var walletId = JsonDocument.Parse(createdBody).RootElement.GetProperty("id").GetString()!;
            var path = $"/v1/wallets/{walletId}";
            var charge = new HttpRequestMessage(HttpMethod.Post, path + "/charges") { Content = Json(ChargeBody) };
            charge.Headers.Add("Idempotency-Key", "first");
            var charged = await http.SendAsync(charge);
            if (charged.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"POST charges answered {(int)charged.StatusCode}: {await charged.Content.ReadAsStringAsync()}");
            var walletJson = await http.GetByteArrayAsync(path);

            var barePort = ApiProcess.FreePort();
            bare = StartBare(barePort, path, walletJson);
            await bare.StartAsync();

            var text = new StringBuilder();
            text.AppendLine($"`GET {{wallet}}` at {connections} connections, `wrk -t2 -c{connections} -d{seconds}s --latency`, {rounds} rounds alternating " +
                            $"the real API and the bare one after a {warmup} s unrecorded wrk warm-up of each (each row is one wrk run):");
            text.AppendLine();
            text.AppendLine("| Round | Target | requests/s | p50 | p90 | p99 | non-2xx | errors |");
            text.AppendLine("|--:|---|--:|--:|--:|--:|--:|--:|");
            var apiRuns = new List<WrkResult>();
            var bareRuns = new List<WrkResult>();
            var authHeader = $"Authorization: Bearer {token}";
            // Warm-up, not recorded: JIT tiering and the connection pools of both servers.
            await WrkAsync(connections, warmup, $"{apiBase}{path}", ["-H", authHeader]);
            await WrkAsync(connections, warmup, $"http://127.0.0.1:{barePort}{path}", []);
            for (var round = 1; round <= rounds; round++)
            {
                var a = await WrkAsync(connections, seconds, $"{apiBase}{path}", ["-H", authHeader]);
                apiRuns.Add(a);
                text.AppendLine(a.Row(round, "API `GET /v1/wallets/{id}` (auth, grain call, JSON)"));
                var b = await WrkAsync(connections, seconds, $"http://127.0.0.1:{barePort}{path}", []);
                bareRuns.Add(b);
                text.AppendLine(b.Row(round, "bare minimal API, same JSON bytes"));
            }
            var ratios = apiRuns.Zip(bareRuns, (a, b) => a.RequestsPerSecond / b.RequestsPerSecond).ToList();
            var medianApiP99 = Median(apiRuns.Select(r => r.P99Ms));
            text.AppendLine();
            text.AppendLine($"Ratio API / bare per round: {string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}; " +
                            $"median {Median(ratios):0.00} (target >= 0.4: {(Median(ratios) >= 0.4 ? "met" : "MISSED")}); API p99 median " +
                            $"{medianApiP99:0.##} ms (target < 10 ms: {(medianApiP99 < 10 ? "met" : "MISSED")}).");
            text.AppendLine();

            // Durable charges on one wallet, each with its own Idempotency-Key.
            var script = Path.Combine(dataFolder, "charges.lua");
            await File.WriteAllTextAsync(script, ChargeScript(token, path + "/charges"));
            var before = await BalanceAsync(http, path);
            var charges = await WrkAsync(connections, seconds, $"{apiBase}{path}/charges", ["-s", script]);
            var after = await BalanceAsync(http, path);
            text.AppendLine($"`POST {{wallet}}/charges` (one wallet, 1,000 won pay_money, durable: answered after the SQLite commit, synchronous=FULL), " +
                            $"{connections} connections, a distinct `Idempotency-Key` per request (wrk Lua script):");
            text.AppendLine();
            text.AppendLine("| Target | requests/s | p50 | p90 | p99 | non-2xx | errors |");
            text.AppendLine("|---|--:|--:|--:|--:|--:|--:|");
            text.AppendLine(charges.Row(null, "API `POST /v1/wallets/{id}/charges`"));
            text.AppendLine();
            var added = (after - before) / 1_000;
            text.AppendLine($"Check: the balance grew by {added:N0} charges; wrk counted {charges.Requests:N0} responses, {charges.Non2xx:N0} not 2xx " +
                            "(requests still in flight when wrk stopped may be charged and not counted, so the balance may be a little higher)" +
                            (added >= charges.Requests - charges.Non2xx && charges.Non2xx == 0 ? ": ok" : ": CHECK"));
            text.AppendLine();
            text.AppendLine("Method: the API is the Api project's Release build (`dotnet AdWallet.Api.dll`, built with the harness), started as a " +
                            "child process with `ASPNETCORE_URLS` on a free loopback port, `Data__Path` a temporary folder (its embedded " +
                            "silo's SQLite file, synchronous as configured by default), `Auth__SigningKey` a random key and logging at " +
                            "Warning; the token comes from `dotnet AdWallet.Api.dll token bench-user` with the same key. The wallet is " +
                            "created and charged once through the API before measuring. The bare API is `WebApplication.CreateSlimBuilder` " +
                            "in the harness's process (Kestrel, no auth, no grain), answering `GET` on the same path with the API's own " +
                            "JSON bytes; it is the ceiling of HTTP on this machine. wrk, the API process and the harness share the 2 cores " +
                            "(and other engineers' builds), so the ratio of runs made back to back is the figure to read.");
            return text.ToString();
        }
        finally
        {
            if (bare is not null)
            {
                await bare.StopAsync();
                await bare.DisposeAsync();
            }
            if (api is not null) await api.DisposeAsync();
        }
    }

    private const string ChargeBody = """{"amount":1000,"method":"pay_money","termsAccepted":true}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string ChargeScript(string token, string path) => $$"""
        local counter = 0
        local threads = 0
        local run = "{{Guid.NewGuid():N}}"
        function setup(thread)
          threads = threads + 1
          thread:set("tid", threads)
        end
        function request()
          counter = counter + 1
          local headers = {}
          headers["Authorization"] = "Bearer {{token}}"
          headers["Content-Type"] = "application/json"
          headers["Idempotency-Key"] = run .. "-" .. tostring(tid) .. "-" .. tostring(counter)
          return wrk.format("POST", "{{path}}", headers, '{{ChargeBody}}')
        end
        """;

    private static async Task<long> BalanceAsync(HttpClient http, string path)
    {
        var json = JsonDocument.Parse(await http.GetStringAsync(path)).RootElement;
        var balance = json.GetProperty("balance");
        return balance.ValueKind == JsonValueKind.Object ? balance.GetProperty("total").GetInt64() : balance.GetInt64();
    }

    private static WebApplication StartBare(int port, string path, byte[] body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet(path, () => Results.Bytes(body, "application/json; charset=utf-8"));
        return app;
    }

    private static async Task<WrkResult> WrkAsync(int connections, int seconds, string url, string[] extra)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "--timeout", "10s", .. extra, url]) start.ArgumentList.Add(arg);
        Progress($"http: wrk {string.Join(' ', start.ArgumentList.Select(a => a.StartsWith("Authorization", StringComparison.Ordinal) ? "Authorization: Bearer ..." : a))}");
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start; install it (apt-get install -y wrk).");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        var error = await wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        if (wrk.ExitCode != 0) throw new InvalidOperationException($"wrk exited {wrk.ExitCode}: {error}{output}");
        var result = WrkResult.Parse(output);
        Progress($"http: {result.RequestsPerSecond:N0} requests/s, p50 {result.P50Ms:0.##} ms, p99 {result.P99Ms:0.##} ms, non-2xx {result.Non2xx}, errors {result.Errors}");
        return result;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed partial record WrkResult(double RequestsPerSecond, long Requests, double P50Ms, double P90Ms, double P99Ms, long Non2xx, long Errors)
    {
        public string Row(int? round, string target) =>
            $"| {(round is { } r ? $"{r} | " : "")}{target} | {RequestsPerSecond:N0} | {P50Ms:0.##} ms | {P90Ms:0.##} ms | {P99Ms:0.##} ms | {Non2xx:N0} | {Errors:N0} |";

        public static WrkResult Parse(string output)
        {
            double Latency(string percentile)
            {
                var match = Regex.Match(output, $@"^\s*{percentile}%\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
                if (!match.Success) return double.NaN;
                var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                return match.Groups[2].Value switch { "us" => value / 1000, "ms" => value, _ => value * 1000 };
            }
            var rps = double.Parse(Regex.Match(output, @"Requests/sec:\s+([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
            var requests = long.Parse(Regex.Match(output, @"([0-9]+) requests in").Groups[1].Value, CultureInfo.InvariantCulture);
            var non2xx = Regex.Match(output, @"Non-2xx or 3xx responses:\s+([0-9]+)") is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            var errors = Regex.Match(output, @"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)") is { Success: true } e
                ? e.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
                : 0;
            return new WrkResult(rps, requests, Latency("50"), Latency("90"), Latency("99"), non2xx, errors);
        }
    }
}
