namespace AdWallet.GatewaySimulator;

/// <summary>
/// The simulator as a process of its own (cluster mode). A named class rather than top-level statements: the API
/// references this project to embed the simulator, and two top-level <c>Program</c> classes would clash.
/// </summary>
internal static class GatewaySimulatorProgram
{
    public static Task Main(string[] args)
    {
        var app = GatewaySimulatorApp.Create(args, builder =>
        {
            // ASP.NET Core's own default is port 5000; the contract names 5100 so it can run beside the API.
            if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
                builder.WebHost.UseUrls(GatewaySimulatorApp.DefaultUrl);
        });
        return app.RunAsync();
    }
}
