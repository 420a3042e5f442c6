using System.Net;
using System.Text.Json.Serialization.Metadata;
using Mudbase.Http;

namespace Mudbase.Storage;

/// <summary>
/// Storage's answers as <see cref="JsonAnswer"/> reads them, with two refusals worded for storage: an org call's 403,
/// which the server leaves unexplained (<c>{"required":[…],"current":"viewer"}</c>), says that it needs an API key or an
/// org role; and an answer that was not retried because the upload's stream could not be rewound says so.
/// </summary>
internal static class StorageAnswer
{
    /// <summary>The response of a success; a failure is its <see cref="MudbaseException"/>.</summary>
    /// <param name="call">The call.</param>
    /// <param name="errors">The client's error mapping.</param>
    /// <param name="orgCall">What an org call does, as the start of a sentence (<c>Uploading files</c>); null for others.</param>
    public static async Task<HttpResponseMessage> SuccessAsync(Task<HttpResponseMessage> call, RefitErrorMapper errors, string? orgCall)
    {
        var response = await call.ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        throw await FailureAsync(response, errors, orgCall).ConfigureAwait(false);
    }

    /// <summary>The exception of an answer that is not a success, worded as <see cref="SuccessAsync"/> words it; disposes the response.</summary>
    public static ValueTask<MudbaseException> FailureAsync(HttpResponseMessage response, RefitErrorMapper errors, string? orgCall) =>
        errors.FromFailureAsync(response, orgCall, Reword);

    /// <summary>The answer's JSON as <paramref name="typeInfo"/>.</summary>
    public static Task<T> ReadAsync<T>(Task<HttpResponseMessage> call, RefitErrorMapper errors, string? orgCall, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        JsonAnswer.ReadAsync(SuccessAsync(call, errors, orgCall), errors, typeInfo, StorageWire.Deserialize<T>, cancellationToken);

    /// <summary>Any success will do (a delete's <c>{message}</c>).</summary>
    public static async Task ExpectSuccessAsync(Task<HttpResponseMessage> call, RefitErrorMapper errors, string? orgCall)
    {
        using var response = await SuccessAsync(call, errors, orgCall).ConfigureAwait(false);
    }

    private static MudbaseErrorInfo Reword(MudbaseErrorInfo info, HttpResponseMessage response, string? orgCall)
    {
        if (orgCall is not null && info.StatusCode == HttpStatusCode.Forbidden && IsRoleRefusal(info))
        {
            var said = info.ServerMessage is { } text ? $" (the server said: {text})" : "";
            info = info.WithServerMessage(
                $"{orgCall} needs an API key or an org role (owner, admin, developer), and a project user's token is refused{said}. " +
                "Make this call from a server, with a client whose options set ApiKey and that has no user signed in");
        }

        if (response.RequestMessage?.Options.TryGetValue(MudbaseRetryHandler.NotResentKey, out var reason) == true)
        {
            info = info.WithServerMessage($"{info.ServerMessage ?? info.ReasonPhrase ?? "The request failed"}. {reason}");
        }

        return info;
    }

    /// <summary>A refusal for want of a role (no text, or the roles or action it needed), not a feature gate or an unverified email.</summary>
    private static bool IsRoleRefusal(MudbaseErrorInfo info)
    {
        var facts = new ErrorFacts(info.Body);
        return info.ServerMessage is null || facts.RequiredRoles is { Count: > 0 } || facts.RequiredAction is not null;
    }
}
