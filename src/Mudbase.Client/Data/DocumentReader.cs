using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Mudbase.Data;

/// <summary>
/// Reads a <see cref="MudbaseDocument"/> without building a node per field: the document's JSON is copied, compacted and
/// with its id and timestamps first, into one array the document keeps, and only the id and the two dates are read out.
/// The fields are made from that array when first asked for.
/// </summary>
internal static class DocumentReader
{
    /// <summary>More top-level members than this are checked for a repeated name with a set rather than pair by pair.</summary>
    private const int PairwiseNameLimit = 64;

    private enum Member
    {
        Other,
        UnderscoreId,
        PlainId,
        CreatedAt,
        UpdatedAt,
    }

    /// <summary>Reads the object the reader is at, up to and including its end.</summary>
    public static MudbaseDocument Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"A Mudbase document must be a JSON object, not {Describe(reader.TokenType)}.");
        }

        // body: every member as "name":value, back to back; names: the same names unescaped; members: four ints a member
        // (its start and end in body, its name's start and end in names).
        var body = new Buffer(1024);
        var names = new Buffer(256);
        var members = ArrayPool<int>.Shared.Rent(64);
        try
        {
            var count = 0;
            int underscoreIdAt = -1, plainIdAt = -1, createdAtAt = -1, updatedAtAt = -1;
            bool underscoreIdHolds = false, plainIdHolds = false;
            string? underscoreId = null, plainId = null;
            DateTimeOffset? createdAt = null, updatedAt = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var nameStart = names.Length;
                names.AppendUnescaped(ref reader);
                var member = Classify(names.Slice(nameStart));
                var memberStart = body.Length;
                body.Append((byte)'"');
                body.AppendRaw(ref reader);
                body.Append("\":"u8);

                reader.Read();
                var token = reader.TokenType;
                var valueStart = body.Length;
                string? idText = null;
                switch (member)
                {
                    case Member.UnderscoreId or Member.PlainId when token == JsonTokenType.String:
                        idText = reader.GetString();
                        break;
                    case Member.CreatedAt when token == JsonTokenType.String:
                        createdAt = ReadDate(ref reader);
                        break;
                    case Member.UpdatedAt when token == JsonTokenType.String:
                        updatedAt = ReadDate(ref reader);
                        break;
                }

                CopyValue(ref reader, ref body);
                if (member is Member.UnderscoreId or Member.PlainId && token is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    // An id that is not a string is read as its JSON (42 reads "42").
                    idText = Encoding.UTF8.GetString(body.Array, valueStart, body.Length - valueStart);
                }

                switch (member)
                {
                    case Member.UnderscoreId:
                        (underscoreIdAt, underscoreIdHolds, underscoreId) = (count, token != JsonTokenType.Null, idText);
                        break;
                    case Member.PlainId:
                        (plainIdAt, plainIdHolds, plainId) = (count, token != JsonTokenType.Null, idText);
                        break;
                    case Member.CreatedAt:
                        createdAtAt = count;
                        break;
                    case Member.UpdatedAt:
                        updatedAtAt = count;
                        break;
                }

                if ((count + 1) * 4 > members.Length)
                {
                    var larger = ArrayPool<int>.Shared.Rent(members.Length * 2);
                    members.AsSpan(0, count * 4).CopyTo(larger);
                    ArrayPool<int>.Shared.Return(members);
                    members = larger;
                }

                members[count * 4] = memberStart;
                members[(count * 4) + 1] = body.Length;
                members[(count * 4) + 2] = nameStart;
                members[(count * 4) + 3] = names.Length;
                count++;
            }

            CheckNamesOnce(names, members, count);

            var idName = MudbaseDocument.IdName(underscoreIdHolds, plainIdHolds);
            var idAt = underscoreIdHolds ? underscoreIdAt : plainIdHolds ? plainIdAt : -1;
            var utf8 = Assemble(body, members, count, idAt, createdAtAt, updatedAtAt);
            var managedCount = (idAt >= 0 ? 1 : 0) + (createdAtAt >= 0 ? 1 : 0) + (updatedAtAt >= 0 ? 1 : 0);
            return new MudbaseDocument(utf8, managedCount, idName, underscoreIdHolds ? underscoreId : plainId, createdAt, updatedAt);
        }
        finally
        {
            body.Return();
            names.Return();
            ArrayPool<int>.Shared.Return(members);
        }
    }

    private static Member Classify(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("_id"u8) ? Member.UnderscoreId
        : name.SequenceEqual("id"u8) ? Member.PlainId
        : name.SequenceEqual("createdAt"u8) ? Member.CreatedAt
        : name.SequenceEqual("updatedAt"u8) ? Member.UpdatedAt
        : Member.Other;

    /// <summary>The object: the id's member, the timestamps', then every other member in the order read.</summary>
    private static byte[] Assemble(Buffer body, int[] members, int count, int idAt, int createdAtAt, int updatedAtAt)
    {
        var size = 2 + Math.Max(0, count - 1);
        for (var i = 0; i < count; i++)
        {
            size += members[(i * 4) + 1] - members[i * 4];
        }

        var utf8 = new byte[size];
        utf8[0] = (byte)'{';
        var at = 1;
        foreach (var first in (ReadOnlySpan<int>)[idAt, createdAtAt, updatedAtAt])
        {
            if (first >= 0)
            {
                Put(first);
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (i != idAt && i != createdAtAt && i != updatedAtAt)
            {
                Put(i);
            }
        }

        utf8[at] = (byte)'}';
        return utf8;

        void Put(int member)
        {
            if (at > 1)
            {
                utf8[at++] = (byte)',';
            }

            var start = members[member * 4];
            var length = members[(member * 4) + 1] - start;
            body.Array.AsSpan(start, length).CopyTo(utf8.AsSpan(at));
            at += length;
        }
    }

    /// <summary>
    /// A name twice at the top is refused, as reading the document into a <see cref="System.Text.Json.Nodes.JsonObject"/>
    /// would (later, when its fields are first used): which of the two is meant cannot be known.
    /// </summary>
    private static void CheckNamesOnce(Buffer names, int[] members, int count)
    {
        if (count > PairwiseNameLimit)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                if (!seen.Add(Encoding.UTF8.GetString(names.Array, members[(i * 4) + 2], members[(i * 4) + 3] - members[(i * 4) + 2])))
                {
                    throw Repeated(names, members, i);
                }
            }

            return;
        }

        for (var i = 1; i < count; i++)
        {
            var name = Name(names, members, i);
            for (var j = 0; j < i; j++)
            {
                if (name.SequenceEqual(Name(names, members, j)))
                {
                    throw Repeated(names, members, i);
                }
            }
        }
    }

    private static ReadOnlySpan<byte> Name(Buffer names, int[] members, int member) =>
        names.Array.AsSpan(members[(member * 4) + 2], members[(member * 4) + 3] - members[(member * 4) + 2]);

    private static JsonException Repeated(Buffer names, int[] members, int member) =>
        new($"A Mudbase document has the member \"{Encoding.UTF8.GetString(names.Array, members[(member * 4) + 2], members[(member * 4) + 3] - members[(member * 4) + 2])}\" twice.");

    /// <summary>Copies the value the reader is at, compact, leaving the reader at its last token.</summary>
    private static void CopyValue(ref Utf8JsonReader reader, ref Buffer body)
    {
        var token = reader.TokenType;
        if (token is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            AppendToken(ref reader, ref body);
            return;
        }

        var depth = reader.CurrentDepth;
        body.Append(token == JsonTokenType.StartObject ? (byte)'{' : (byte)'[');
        var previous = token;
        while (reader.Read())
        {
            token = reader.TokenType;
            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                body.Append(token == JsonTokenType.EndObject ? (byte)'}' : (byte)']');
                if (reader.CurrentDepth == depth)
                {
                    return;
                }
            }
            else if (token == JsonTokenType.Comment)
            {
                continue;
            }
            else
            {
                if (previous is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName))
                {
                    body.Append((byte)',');
                }

                AppendToken(ref reader, ref body);
            }

            previous = token;
        }
    }

    /// <summary>A scalar or a property name, as it appears in the source (strings keep their escapes).</summary>
    private static void AppendToken(ref Utf8JsonReader reader, ref Buffer body)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                body.Append((byte)'"');
                body.AppendRaw(ref reader);
                body.Append((byte)'"');
                break;
            case JsonTokenType.PropertyName:
                body.Append((byte)'"');
                body.AppendRaw(ref reader);
                body.Append("\":"u8);
                break;
            default:
                body.AppendRaw(ref reader);
                break;
        }
    }

    /// <summary>
    /// A timestamp as <see cref="MudbaseDocument"/> reads one (<see cref="DateTimeOffset.TryParse(string, IFormatProvider, System.Globalization.DateTimeStyles, out DateTimeOffset)"/>,
    /// UTC when no offset is given); the server's own form, <c>2030-01-02T03:04:05.678Z</c>, is read without making a string.
    /// </summary>
    private static DateTimeOffset? ReadDate(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan is { Length: 20 or 24 } text && text[text.Length - 1] == (byte)'Z'
            && reader.TryGetDateTimeOffset(out var date))
        {
            return date;
        }

        return MudbaseDocument.ReadDate(reader.GetString()!);
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "Array",
        JsonTokenType.String => "String",
        JsonTokenType.Number => "Number",
        JsonTokenType.True => "True",
        JsonTokenType.False => "False",
        _ => token.ToString(),
    };

    /// <summary>A growing byte array from the shared pool.</summary>
    private struct Buffer(int capacity)
    {
        public byte[] Array = ArrayPool<byte>.Shared.Rent(capacity);

        public int Length;

        public readonly ReadOnlySpan<byte> Slice(int start) => Array.AsSpan(start, Length - start);

        public void Append(byte value)
        {
            Ensure(1);
            Array[Length++] = value;
        }

        public void Append(ReadOnlySpan<byte> value)
        {
            Ensure(value.Length);
            value.CopyTo(Array.AsSpan(Length));
            Length += value.Length;
        }

        /// <summary>The current token's bytes as they appear in the source.</summary>
        public void AppendRaw(ref Utf8JsonReader reader)
        {
            if (!reader.HasValueSequence)
            {
                Append(reader.ValueSpan);
                return;
            }

            foreach (var segment in reader.ValueSequence)
            {
                Append(segment.Span);
            }
        }

        /// <summary>The current string or name, unescaped.</summary>
        public void AppendUnescaped(ref Utf8JsonReader reader)
        {
            Ensure(reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length);
            Length += reader.CopyString(Array.AsSpan(Length));
        }

        public readonly void Return() => ArrayPool<byte>.Shared.Return(Array);

        private void Ensure(int more)
        {
            if (Length + more <= Array.Length)
            {
                return;
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(Array.Length * 2, Length + more));
            Array.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(Array);
            Array = larger;
        }
    }
}
