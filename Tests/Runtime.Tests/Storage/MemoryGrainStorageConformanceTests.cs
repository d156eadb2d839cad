using Granary.Storage;

namespace Granary.Tests.Storage;

public sealed class MemoryGrainStorageConformanceTests : GrainStorageConformance
{
    protected override Task<IGrainStorage> CreateStorageAsync() => Task.FromResult<IGrainStorage>(new MemoryGrainStorage());
}
