using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.GatewaySimulator.Problems;

/// <summary>An error answer before it is written: status, the stable <c>code</c> of docs/gateway.md, and words for people.</summary>
internal sealed record GatewayProblem(int Status, string Code, string Detail)
{
    public ProblemHttpResult ToResult() =>
        TypedResults.Problem(detail: Detail, statusCode: Status, extensions: new Dictionary<string, object?> { ["code"] = Code });
}

/// <summary>Either a value or the problem that stopped it.</summary>
internal readonly record struct Outcome<T>(T? Value, GatewayProblem? Problem)
{
    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(GatewayProblem problem) => new(default, problem);
}
