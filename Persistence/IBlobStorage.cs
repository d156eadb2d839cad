namespace AdWallet.Persistence;

/// <summary>
/// Named byte sequences stored as numbered chunks (an uploaded file), so that neither a writer nor a reader ever holds
/// the whole of one. Writing a chunk replaces the chunk of the same number, so a retried write is harmless.
/// </summary>
public interface IBlobStorage
{
    Task WriteChunkAsync(string blob, int index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>The chunk, or null when it was never written.</summary>
    Task<byte[]?> ReadChunkAsync(string blob, int index, CancellationToken cancellationToken = default);

    /// <summary>Removes every chunk of the blob.</summary>
    Task DeleteAsync(string blob, CancellationToken cancellationToken = default);
}
