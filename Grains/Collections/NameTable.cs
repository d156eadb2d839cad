namespace AdWallet.Grains.Collections;

/// <summary>Numbers for the few texts that many rows share (methods, statuses, metadata keys), each kept once. Not thread-safe.</summary>
internal sealed class NameTable
{
    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);

    public string this[int number] => _names[number];

    /// <summary>The name's number, given the first time the name is seen.</summary>
    public int Number(string name)
    {
        if (!_numbers.TryGetValue(name, out var number))
        {
            number = _names.Count;
            _names.Add(name);
            _numbers.Add(name, number);
        }
        return number;
    }
}
