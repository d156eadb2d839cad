using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;

namespace AdWallet.Dashboard.Tests;

/// <summary>
/// The Orleans Dashboard in a real browser (Debian's Chromium through Playwright): an operator signs in with a token
/// and sees the silo; nobody else gets in.
/// </summary>
public sealed class DashboardTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private ApiProcess _api = null!;

    public async Task InitializeAsync() => _api = await ApiProcess.StartAsync(Bound);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task An_operator_signs_in_with_a_token_and_the_dashboard_lists_the_silo()
    {
        var token = await _api.TokenAsync("ops", isOperator: true);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();

        // Navigating without the cookie leads to the sign-in page.
        await page.GotoAsync(new Uri(_api.Address, "/dashboard/").ToString());
        Assert.EndsWith("/dashboard-sign-in", page.Url, StringComparison.Ordinal);

        await page.FillAsync("#token", token);
        await page.ClickAsync("button[type=submit]");
        // The dashboard keeps connections open to stream its data, so the page's load event is no signal: wait for the
        // navigation itself, then for what the page shows.
        await page.WaitForURLAsync("**/dashboard/**", new() { Timeout = (float)Bound.TotalMilliseconds, WaitUntil = WaitUntilState.Commit });

        var wait = new LocatorWaitForOptions { Timeout = (float)Bound.TotalMilliseconds };
        await page.GetByText("Active silos", new() { Exact = false }).First.WaitForAsync(wait);

        // The silos page lists the embedded silo by its address once the dashboard has polled the cluster.
        await page.GetByRole(AriaRole.Link, new() { Name = "Silos", Exact = true }).ClickAsync();
        await page.GetByText("127.0.0.1").First.WaitForAsync(wait);
        Assert.Contains("127.0.0.1", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_token_that_is_not_an_operators_opens_no_dashboard_session()
    {
        using var http = new HttpClient { BaseAddress = _api.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/ops/dashboard-session");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _api.TokenAsync("alice", isOperator: false));
        var answer = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.False(answer.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task The_dashboard_data_needs_the_cookie()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _api.Address };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/dashboard/")).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/ops/dashboard-session");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _api.TokenAsync("ops", isOperator: true));
        var session = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, session.StatusCode);
        var cookie = Assert.Single(session.Headers.GetValues("Set-Cookie"));
        Assert.Contains("path=/dashboard", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        withCookie.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(withCookie)).StatusCode);
    }

    /// <summary>Debian's Chromium: Playwright's own browser download does not work on these machines.</summary>
    private static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        return await playwright.Chromium.LaunchAsync(new() { ExecutablePath = executable, Headless = true, Args = ["--no-sandbox"] });
    }
}
