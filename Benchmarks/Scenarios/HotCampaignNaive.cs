using AdWallet.Benchmarks.Harness;
using Microsoft.Data.Sqlite;

namespace AdWallet.Benchmarks.Scenarios;

/// <summary>
/// The naive design of hot-campaign, without the silo: one SQLite transaction per participation that checks the budget,
/// inserts the participation and updates the spend, answered after COMMIT, on the same SQLite settings as the provider.
/// </summary>
internal sealed class HotCampaignNaive : Scenario
{
    private const string CampaignId = "cmp_hot";

    private static readonly string Schema = $"""
        CREATE TABLE campaign (id TEXT PRIMARY KEY, budget INTEGER NOT NULL, price INTEGER NOT NULL, spent INTEGER NOT NULL);
        CREATE TABLE participation (campaign_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (campaign_id, user_id));
        INSERT INTO campaign (id, budget, price, spent) VALUES ('{CampaignId}', {AdWallet.Grains.Campaigns.CampaignRules.MaximumBudget}, {HotCampaign.Price}, 0);
        """;

    private NaiveSqlite _database = null!;
    private SqliteCommand _select = null!;
    private SqliteCommand _insert = null!;
    private SqliteCommand _update = null!;
    private long _accepted;

    public override string Name => "hot-campaign-naive";

    public override string Measures =>
        "the baseline of hot-campaign, no silo: per participation one SQLite transaction (BEGIN IMMEDIATE; SELECT budget, price, spent; " +
        "check spent + price <= budget; INSERT the participation, once per user; UPDATE spent; COMMIT), answered after COMMIT; " +
        "WAL and synchronous=FULL as the provider; one connection shared under an async lock, prepared commands.";

    public override IReadOnlyList<int> Concurrency => [1, 16, 256];

    public override bool UsesSilo => false;

    public override Task InitializeAsync(PointSetup point)
    {
        _accepted = 0;
        _database = NaiveSqlite.Create(point.DataFolder, Schema);
        _select = _database.Prepare("SELECT budget, price, spent FROM campaign WHERE id = @id", "@id");
        _insert = _database.Prepare(
            "INSERT INTO participation (campaign_id, user_id) VALUES (@campaign_id, @user_id) ON CONFLICT DO NOTHING", "@campaign_id", "@user_id");
        _update = _database.Prepare("UPDATE campaign SET spent = @spent WHERE id = @id", "@spent", "@id");
        return Task.CompletedTask;
    }

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        var prefix = $"u{worker}-";
        var phone = $"+8210{worker % 10_000:D4}";
        long next = 0;
        return async () =>
        {
            var n = ++next;
            var outcome = await _database.TransactionAsync(() => Participate(prefix + n, phone + (n % 10_000).ToString("D4")));
            if (outcome != Outcome.Accepted) throw new InvalidOperationException($"Participation answered {outcome}.");
            Interlocked.Increment(ref _accepted);
        };
    }

    private enum Outcome
    {
        Accepted,
        Replayed,
        BudgetExhausted,
        NotEligible,
    }

    private Outcome Participate(string userId, string phone)
    {
        if (!AdWallet.Grains.Campaigns.CampaignRules.IsEligible(AdWallet.Grains.Campaigns.CampaignKinds.Emoticon, phone)) return Outcome.NotEligible;
        _select.Parameters["@id"].Value = CampaignId;
        long budget, price, spent;
        using (var reader = _select.ExecuteReader())
        {
            reader.Read();
            (budget, price, spent) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }
        if (spent + price > budget) return Outcome.BudgetExhausted;
        _insert.Parameters["@campaign_id"].Value = CampaignId;
        _insert.Parameters["@user_id"].Value = userId;
        if (_insert.ExecuteNonQuery() == 0) return Outcome.Replayed;
        _update.Parameters["@spent"].Value = spent + price;
        _update.Parameters["@id"].Value = CampaignId;
        _update.ExecuteNonQuery();
        return Outcome.Accepted;
    }

    public override Task<string?> VerifyAsync(LoadResult result)
    {
        var accepted = Interlocked.Read(ref _accepted);
        var (budget, spent) = _database.Query($"SELECT budget, spent FROM campaign WHERE id = '{CampaignId}'", r => (r.GetInt64(0), r.GetInt64(1)));
        var participations = _database.Query($"SELECT COUNT(*) FROM participation WHERE campaign_id = '{CampaignId}'", r => r.GetInt64(0));
        var line = $"{accepted:N0} participations accepted (all time, warm-up included); {participations:N0} rows; " +
                   $"spent {spent:N0} of {budget:N0} (expected {accepted * HotCampaign.Price:N0})";
        if (participations != accepted || spent != accepted * HotCampaign.Price || spent > budget) throw new CheckFailedException(line);
        return Task.FromResult<string?>(line + ": ok");
    }

    public override async ValueTask DisposePointAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
        _database = null!;
    }
}
