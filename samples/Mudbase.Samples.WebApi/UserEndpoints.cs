using System.Globalization;
using System.Security.Claims;
using Mudbase.Auth;

namespace Mudbase.Samples.WebApi;

/// <summary>The API: each user signs up or logs in to Mudbase, asks who they are, and logs out, all through their own view.</summary>
internal static class UserEndpoints
{
    public static void MapUserEndpoints(this WebApplication app)
    {
        app.MapGet("/", () => $"""
            Mudbase.Samples.WebApi: send {SampleUserAuthentication.Header}: <your name> with every request.
              POST /signup  {"{"}"email", "password", "firstName", "lastName"{"}"}: registers a Mudbase user and signs you in as them
              POST /login   {"{"}"email", "password"{"}"}: signs you in as an existing Mudbase user
              GET  /me      asks Mudbase whose session you hold
              POST /logout  signs you out
            """);

        var users = app.MapGroup("/").RequireAuthorization().AddEndpointFilter(AnswerMudbaseErrors);
        users.MapPost("/signup", SignUpAsync);
        users.MapPost("/login", LogInAsync);
        users.MapGet("/me", GetMeAsync);
        users.MapPost("/logout", LogOutAsync);
    }

    private static async Task<IResult> SignUpAsync(SignUpBody body, ClaimsPrincipal principal, UserSessions sessions, CancellationToken cancellationToken)
    {
        var user = principal.Identity!.Name!;
        var view = sessions.NewView();
        var result = await view.Auth.RegisterAsync(
            new RegisterRequest { Email = body.Email, Password = body.Password, FirstName = body.FirstName, LastName = body.LastName },
            cancellationToken);
        if (result.Session is null)
        {
            // The project requires email verification: no tokens until the link in the email has been followed.
            return Results.Accepted(value: new Pending($"{result.Message} Verify {body.Email}, then POST /login."));
        }

        await sessions.KeepAsync(user, view, cancellationToken);
        return Results.Created("/me", Me.Of(user, result.Session.User));
    }

    private static async Task<IResult> LogInAsync(LogInBody body, ClaimsPrincipal principal, UserSessions sessions, CancellationToken cancellationToken)
    {
        var user = principal.Identity!.Name!;
        var view = sessions.NewView();
        var session = await view.Auth.LoginAsync(new LoginRequest { Email = body.Email, Password = body.Password }, cancellationToken);
        await sessions.KeepAsync(user, view, cancellationToken);
        return Results.Ok(Me.Of(user, session.User));
    }

    private static async Task<IResult> GetMeAsync(ClaimsPrincipal principal, UserSessions sessions, CancellationToken cancellationToken)
    {
        var user = principal.Identity!.Name!;
        if (sessions.Find(user) is not { } mudbase)
        {
            return NotSignedIn(user);
        }

        // Sent with this user's token (refreshed first when it is about to expire); the server says whose it is.
        var info = await mudbase.Auth.GetSessionAsync(cancellationToken: cancellationToken);
        return info.User is { } mudbaseUser ? Results.Ok(Me.Of(user, mudbaseUser)) : NotSignedIn(user);
    }

    private static async Task<IResult> LogOutAsync(ClaimsPrincipal principal, UserSessions sessions, CancellationToken cancellationToken)
    {
        var user = principal.Identity!.Name!;
        return await sessions.SignOutAsync(user, cancellationToken) ? Results.NoContent() : NotSignedIn(user);
    }

    private static IResult NotSignedIn(string user) =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: $"{user} is not signed in to Mudbase: POST /signup or /login first.");

    /// <summary>Mudbase's refusals as this API's own answers; the SDK's messages carry no token or password.</summary>
    private static async ValueTask<object?> AnswerMudbaseErrors(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (MudbaseException ex)
        {
            if (ex.RetryAfter is { } wait)
            {
                context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            return Results.Problem(statusCode: StatusFor(ex), detail: ex.Message);
        }
        catch (ArgumentException ex)
        {
            // The SDK checks its arguments before sending anything: here, a field missing from the request body.
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: ex.Message);
        }
    }

    private static int StatusFor(MudbaseException exception) => exception switch
    {
        MudbaseValidationException => StatusCodes.Status400BadRequest,
        MudbaseAuthenticationException => StatusCodes.Status401Unauthorized,   // wrong credentials, or the session has ended
        MudbaseForbiddenException => StatusCodes.Status403Forbidden,            // the email is not verified yet
        MudbaseConflictException => StatusCodes.Status409Conflict,              // the email is taken
        MudbaseRateLimitException => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status502BadGateway,                                   // Mudbase failed or did not answer
    };
}

/// <summary>The body of <c>POST /signup</c>.</summary>
internal sealed record SignUpBody(string Email, string Password, string FirstName, string LastName);

/// <summary>The body of <c>POST /login</c>.</summary>
internal sealed record LogInBody(string Email, string Password);

/// <summary>Who a user of this API is in Mudbase.</summary>
internal sealed record Me(string User, string MudbaseUserId, string Email)
{
    public static Me Of(string user, MudbaseUser mudbaseUser) => new(user, mudbaseUser.Id, mudbaseUser.Email);
}

/// <summary>A registration waiting for the user to verify their email.</summary>
internal sealed record Pending(string Message);
