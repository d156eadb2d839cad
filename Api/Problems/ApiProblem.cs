namespace AdWallet.Api.Problems;

/// <summary>
/// An error answer before it is written: status, stable code and a detail for people. <see cref="Errors"/> names the
/// bad fields of a <c>validation_failed</c> answer.
/// </summary>
public sealed record ApiProblem(int Status, string Code, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>Stops a request with a problem answer; the exception handler writes it.</summary>
public sealed class ApiProblemException(ApiProblem problem) : Exception(problem.Detail)
{
    public ApiProblem Problem { get; } = problem;
}
