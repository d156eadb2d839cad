using Granary.Membership;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Hosting;

public static class MembershipSiloBuilderExtensions
{
    /// <summary>Keeps the cluster's membership in memory, for tests. Pass one table to every silo of the test cluster.</summary>
    public static ISiloBuilder UseInMemoryClustering(this ISiloBuilder builder, MemoryMembershipTable? table = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IMembershipTable>(table ?? new MemoryMembershipTable());
        return builder;
    }
}
