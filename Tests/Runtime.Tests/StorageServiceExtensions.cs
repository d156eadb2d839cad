using Granary.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Tests;

internal static class StorageServiceExtensions
{
    public static IGrainStorage GetKeyedStorage(this IServiceProvider services, string name = StorageNames.Default) =>
        services.GetRequiredKeyedService<IGrainStorage>(name);
}
