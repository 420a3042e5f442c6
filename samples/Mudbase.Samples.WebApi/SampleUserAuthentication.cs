using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Mudbase.Samples.WebApi;

/// <summary>
/// Who is calling this API: the name in the <c>X-Sample-User</c> header, taken on trust. It stands in for your
/// app's real authentication (cookies, JWT bearer, …): replace it, and the endpoints, which only read
/// <c>HttpContext.User</c>, stay as they are. A request without the header is answered 401.
/// </summary>
internal sealed class SampleUserAuthentication : IAuthenticationHandler
{
    public const string SchemeName = "SampleUser";
    public const string Header = "X-Sample-User";

    private HttpContext _context = null!;

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        _context = context;
        return Task.CompletedTask;
    }

    public Task<AuthenticateResult> AuthenticateAsync()
    {
        var name = _context.Request.Headers[Header].ToString().Trim();
        if (name.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(user, SchemeName)));
    }

    public Task ChallengeAsync(AuthenticationProperties? properties) =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: $"Say who you are with the {Header} header, such as '{Header}: alice'.")
            .ExecuteAsync(_context);

    public Task ForbidAsync(AuthenticationProperties? properties)
    {
        _context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
