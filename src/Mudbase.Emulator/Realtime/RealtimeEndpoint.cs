using Mudbase.Emulator.Auth;
using Mudbase.Emulator.Data;

namespace Mudbase.Emulator.Realtime;

/// <summary>
/// <c>/socket.io/?EIO=4&amp;transport=websocket</c>: Engine.IO 4 / Socket.IO 5 over a WebSocket. Only the websocket
/// transport is served; anything else gets Engine.IO's own 400 answers, as a Node server configured with
/// <c>transports: ["websocket"]</c> gives them.
/// </summary>
internal sealed class RealtimeEndpoint(RealtimeHub hub, BearerAuthenticator bearer)
{
    public const string Path = "/socket.io";

    private const string Scheme = "Bearer ";

    public async Task HandleAsync(HttpContext context)
    {
        if (hub.IsRefusing)
        {
            // A server that is down, as MudbaseEmulator.RefuseRealtimeConnections asks.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var query = context.Request.Query;
        if (query["transport"].ToString() != "websocket")
        {
            await EngineError(0, "Transport unknown").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (query["EIO"].ToString() != "4")
        {
            await EngineError(5, "Unsupported protocol version").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await EngineError(3, "Bad request").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        // Node clients may send the token as a header (extraHeaders) instead of in the CONNECT packet.
        var authorization = context.Request.Headers.Authorization.ToString();
        var headerToken = authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && authorization.Length > Scheme.Length
            ? authorization[Scheme.Length..].Trim()
            : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = new RealtimeConnection(hub, token => bearer.TryAuthenticateToken(token, out var caller) ? caller.User : null, socket, headerToken);
        hub.Add(connection);
        await connection.RunAsync().ConfigureAwait(false);
    }

    /// <summary><c>400 {"code":N,"message":…}</c>, Engine.IO's refusal of a request it cannot serve.</summary>
    private static IResult EngineError(int code, string message) => JsonAnswer.Write(StatusCodes.Status400BadRequest, writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
    });
}
