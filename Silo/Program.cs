using AdWallet.Silo;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.UsePlatformSilo();
await builder.Build().RunAsync();
