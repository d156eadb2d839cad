using AdWallet.Silo;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = Host.CreateApplicationBuilder(args);
// Orleans tells a great deal at Information (every option at start); its warnings and errors are what an operator needs.
builder.Logging.AddFilter("Orleans", LogLevel.Warning);
builder.UsePlatformSilo();
await builder.Build().RunAsync();
