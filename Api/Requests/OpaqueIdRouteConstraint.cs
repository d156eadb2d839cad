namespace AdWallet.Api.Requests;

/// <summary>
/// <c>{walletId:id}</c>: a path id of 1–100 characters of A-Za-z0-9_-. Anything else cannot exist, so the route does
/// not match and the answer is 404, before any grain is asked.
/// </summary>
internal sealed class OpaqueIdRouteConstraint : IRouteConstraint
{
    public const string Name = "id";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && Formats.IsResourceId(value as string);
}
