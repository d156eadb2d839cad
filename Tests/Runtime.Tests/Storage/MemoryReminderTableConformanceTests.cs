using Granary.Reminders;

namespace Granary.Tests.Storage;

public sealed class MemoryReminderTableConformanceTests : ReminderTableConformance
{
    protected override Task<IReminderTable> CreateTableAsync() => Task.FromResult<IReminderTable>(new MemoryReminderTable());
}
