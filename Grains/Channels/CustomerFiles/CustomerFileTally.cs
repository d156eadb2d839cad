namespace AdWallet.Grains.Channels.CustomerFiles;

/// <summary>
/// The counts of a customer file so far, and where they were taken: the checkpoint of its processing. Stored with the
/// file's state after every batch; a run that resumes skips <see cref="RecordsRead"/> records and counts on from here,
/// so the final counts are those of one uninterrupted run.
/// </summary>
public sealed class CustomerFileTally
{
    /// <summary>Rejected rows kept for the admin to see.</summary>
    public const int SampleSize = 100;

    /// <summary>CSV records consumed, the header included.</summary>
    public long RecordsRead { get; set; }

    /// <summary>Bytes of the file read so far (approximate: the reader reads ahead).</summary>
    public long BytesRead { get; set; }

    /// <summary>The column holding phone numbers; null until the first record has been seen.</summary>
    public int? Column { get; set; }

    public long Attempted { get; set; }

    public long Registered { get; set; }

    public Dictionary<string, long> Rejected { get; set; } = [];

    public List<RejectedRow> Sample { get; set; } = [];

    public void Register() => Registered++;

    public void Reject(long line, string value, string reason)
    {
        Rejected[reason] = Rejected.GetValueOrDefault(reason) + 1;
        if (Sample.Count < SampleSize) Sample.Add(new RejectedRow(line, value.Length > 64 ? value[..64] : value, reason));
    }
}
