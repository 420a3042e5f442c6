using System.Text.Json;
using Mudbase.Emulator.Data;

namespace Mudbase.Emulator.Realtime;

/// <summary>One event a signed-in socket emitted: its argument, and the ack the client may have asked for.</summary>
internal sealed class RealtimeRequest(RealtimeConnection connection, DataCaller.User caller, JsonElement argument, long? ackId)
{
    public DataCaller.User Caller => caller;

    /// <summary>The event's first argument; <c>default</c> (undefined) when there is none.</summary>
    public JsonElement Argument => argument;

    /// <summary>Answers the ack, if the client asked for one: <c>43&lt;id&gt;[payload]</c>.</summary>
    public void Ack(Action<Utf8JsonWriter>? payload)
    {
        if (ackId is { } id)
        {
            connection.TrySend(SocketIoFrames.Ack(id, payload));
        }
    }

    /// <summary>
    /// Refuses the request: an <c>error</c> event <c>{message}</c> (as the hosted service reports a refused
    /// subscription), and the ack, if asked for, with <c>{error}</c>, so that a client awaiting it is not left hanging.
    /// </summary>
    public void Refuse(string message)
    {
        connection.TrySend(SocketIoFrames.Event("error", SocketIoFrames.Message("message", message)));
        Ack(SocketIoFrames.Message("error", message));
    }

    /// <summary>The argument itself when it is a string (the short form), else its string <paramref name="property"/>.</summary>
    public string? ReadReference(string property) =>
        argument.ValueKind == JsonValueKind.String ? argument.GetString() : ReadString(property);

    public string? ReadString(string property) =>
        argument.ValueKind == JsonValueKind.Object && argument.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
