using Granary.Hosting;
using Granary.Membership;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Granary.Tests.Membership;

public sealed class MemoryMembershipTableTests : MembershipTableTests
{
    protected override Task<IMembershipTable> CreateTableAsync() => Task.FromResult<IMembershipTable>(new MemoryMembershipTable());

    protected override Task<IMembershipTable[]> CreateSharedTablesAsync(int count)
    {
        var table = new MemoryMembershipTable();
        return Task.FromResult(Enumerable.Repeat<IMembershipTable>(table, count).ToArray());
    }

    [Fact]
    public void In_memory_clustering_registers_the_given_table_or_a_new_one()
    {
        var shared = new MemoryMembershipTable();
        var configuration = new ConfigurationBuilder().Build();
        var first = new ServiceCollection();
        var second = new ServiceCollection();

        new SiloBuilder(first, configuration).UseInMemoryClustering(shared);
        new SiloBuilder(second, configuration).UseInMemoryClustering();
        using var firstProvider = first.BuildServiceProvider();
        using var secondProvider = second.BuildServiceProvider();

        Assert.Same(shared, firstProvider.GetRequiredService<IMembershipTable>());
        Assert.IsType<MemoryMembershipTable>(secondProvider.GetRequiredService<IMembershipTable>());
        Assert.NotSame(shared, secondProvider.GetRequiredService<IMembershipTable>());
    }
}
