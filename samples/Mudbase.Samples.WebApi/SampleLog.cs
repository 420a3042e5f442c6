namespace Mudbase.Samples.WebApi;

/// <summary>The sample's own log lines (the SDK logs its requests, retries and refreshes by itself).</summary>
internal static partial class SampleLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Talking to the {Server} at {BaseUrl}, project {ProjectId}")]
    public static partial void MudbaseServer(ILogger logger, string server, Uri baseUrl, string? projectId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{User} signed in as Mudbase user {UserId}")]
    public static partial void SignedIn(ILogger logger, string user, string userId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{User} signed out")]
    public static partial void SignedOut(ILogger logger, string user);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "The Mudbase session of {User} has ended ({Reason})")]
    public static partial void SessionEnded(ILogger logger, string user, Mudbase.Auth.SessionChangeReason reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Mudbase did not confirm the sign-out of {User}; the session is forgotten here all the same: {Reason}")]
    public static partial void SignOutNotConfirmed(ILogger logger, string user, string reason);
}
