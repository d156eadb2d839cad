using AdWallet.Api.Problems;

namespace AdWallet.Api.Requests;

/// <summary>The bad fields of one request, by their JSON (camelCase) names, each with what is wrong with it.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
            _errors[field] = messages = [];
        messages.Add(message);
    }

    /// <summary>Stops the request with <c>400 validation_failed</c> naming every bad field, if there is one.</summary>
    public void ThrowIfAny()
    {
        if (!IsEmpty)
            throw new ApiProblemException(ApiProblems.ValidationFailed(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray())));
    }
}
