using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Mudbase.Realtime.Protocol;

/// <summary>The Engine.IO open packet's fields that the client uses.</summary>
internal readonly record struct EngineOpen(string Sid, TimeSpan PingInterval, TimeSpan PingTimeout, long MaxPayload);

/// <summary>
/// Reads the protocol's small JSON pieces with <see cref="Utf8JsonReader"/>: no reflection and no model type, so the
/// layer is trimming- and AOT-safe (trap 14 of the research note).
/// </summary>
internal static class SocketIoJson
{
    /// <summary>The element at <paramref name="index"/> of a JSON array, deserialized; default when there is none.</summary>
    public static T? GetElement<T>(ReadOnlySpan<byte> array, int index, JsonTypeInfo<T> typeInfo)
    {
        var reader = new Utf8JsonReader(array);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected a JSON array.");
        }

        for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            if (i == index)
            {
                return JsonSerializer.Deserialize(ref reader, typeInfo);
            }

            reader.Skip();
        }

        return default;
    }

    /// <summary>How many elements a JSON array has.</summary>
    public static int Count(ReadOnlySpan<byte> array)
    {
        var reader = new Utf8JsonReader(array);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected a JSON array.");
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
            count++;
        }

        return count;
    }

    /// <summary>
    /// Checks that <paramref name="json"/> is one whole JSON array whose first element is a string, and returns that
    /// string (an event's name).
    /// </summary>
    public static string ReadEventName(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray
            || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("An event must be a JSON array that starts with its name.");
        }

        var name = KnownEventName(ref reader) ?? reader.GetString()!;
        ReadToEnd(ref reader);
        return name;
    }

    // The names Mudbase sends, as literals: an event's name costs no string of its own.
    private static string? KnownEventName(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("db:update"u8) ? "db:update"
        : reader.ValueTextEquals("db:create"u8) ? "db:create"
        : reader.ValueTextEquals("db:delete"u8) ? "db:delete"
        : reader.ValueTextEquals("query:change"u8) ? "query:change"
        : null;

    /// <summary>Checks that <paramref name="json"/> is one whole JSON array.</summary>
    public static void CheckArray(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected a JSON array.");
        }

        ReadToEnd(ref reader);
    }

    /// <summary>The Engine.IO open packet <c>{"sid","upgrades","pingInterval","pingTimeout","maxPayload"}</c>.</summary>
    public static EngineOpen ReadOpen(ReadOnlySpan<byte> json)
    {
        string? sid = null;
        long? pingInterval = null, pingTimeout = null, maxPayload = null;
        var reader = new Utf8JsonReader(json);
        ExpectObject(ref reader);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("sid"u8))
            {
                reader.Read();
                sid = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("pingInterval"u8))
            {
                pingInterval = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("pingTimeout"u8))
            {
                pingTimeout = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("maxPayload"u8))
            {
                maxPayload = ReadNumber(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        ReadToEnd(ref reader);
        if (string.IsNullOrEmpty(sid) || pingInterval is not > 0 || pingTimeout is not > 0)
        {
            throw new JsonException("The open packet lacks sid, pingInterval or pingTimeout.");
        }

        return new EngineOpen(sid!, TimeSpan.FromMilliseconds(pingInterval.Value), TimeSpan.FromMilliseconds(pingTimeout.Value),
            maxPayload is > 0 ? maxPayload.Value : long.MaxValue);
    }

    /// <summary>A string property of a JSON object (<c>sid</c> of <c>40</c>, <c>message</c> of <c>44</c>), or null.</summary>
    public static string? ReadStringProperty(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        if (json.IsEmpty)
        {
            return null;
        }

        string? value = null;
        var reader = new Utf8JsonReader(json);
        ExpectObject(ref reader);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match && reader.TokenType == JsonTokenType.String)
            {
                value = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        ReadToEnd(ref reader);
        return value;
    }

    private static void ExpectObject(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected a JSON object.");
        }
    }

    private static long? ReadNumber(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            return value;
        }

        reader.Skip();
        return null;
    }

    // Reading every remaining token makes the reader throw on truncated or trailing input.
    private static void ReadToEnd(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
        }
    }
}
