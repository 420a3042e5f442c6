using System.Text.Json;

namespace Mudbase.Emulator.Data;

/// <summary>
/// How documents' values compare, for filters and sorting. Documents are stored as immutable
/// <see cref="JsonElement"/>s, so any thread may read them without a lock.
/// </summary>
/// <remarks>
/// The rules, MongoDB's where they matter to a client:
/// <list type="bullet">
/// <item>Values of different kinds order by kind: missing and <c>null</c> (equal to each other) first, then numbers,
/// strings, objects, arrays, booleans. So a missing field sorts first ascending, last descending.</item>
/// <item>Numbers compare as numbers (<c>1</c> equals <c>1.0</c>); strings compare ordinally (by UTF-16 code unit,
/// case-sensitive), so ISO 8601 dates stored as strings (as <c>createdAt</c> is) compare by time.</item>
/// <item><c>$gt</c>, <c>$gte</c>, <c>$lt</c>, <c>$lte</c> only match values of the operand's kind: <c>{"n":{"$gt":1}}</c>
/// never matches a string <c>n</c>.</item>
/// </list>
/// </remarks>
internal static class JsonValues
{
    /// <summary>The kinds in sort order; <see cref="Null"/> also stands for a missing value.</summary>
    private enum Rank
    {
        Null,
        Number,
        String,
        Object,
        Array,
        Boolean,
    }

    /// <summary>Compares two values, either of which may be missing (<see langword="null"/>).</summary>
    public static int Compare(JsonElement? left, JsonElement? right)
    {
        var leftRank = RankOf(left);
        var rightRank = RankOf(right);
        if (leftRank != rightRank)
        {
            return leftRank.CompareTo(rightRank);
        }

        if (leftRank == Rank.Null)
        {
            return 0;
        }

        var a = left!.Value;
        var b = right!.Value;
        return leftRank switch
        {
            Rank.Number => CompareNumbers(a, b),
            Rank.String => string.CompareOrdinal(a.GetString(), b.GetString()),
            Rank.Boolean => a.GetBoolean().CompareTo(b.GetBoolean()),
            Rank.Array => CompareArrays(a, b),
            _ => DeepEquals(a, b) ? 0 : string.CompareOrdinal(a.GetRawText(), b.GetRawText()),
        };
    }

    /// <summary>Whether two values are of the same kind, the condition for a range comparison.</summary>
    public static bool SameKind(JsonElement? left, JsonElement? right) => RankOf(left) == RankOf(right);

    /// <summary>Equality: numbers by value, objects regardless of property order, arrays element by element.</summary>
    public static bool AreEqual(JsonElement? left, JsonElement? right)
    {
        if (RankOf(left) != RankOf(right))
        {
            return false;
        }

        return RankOf(left) == Rank.Null || DeepEquals(left!.Value, right!.Value);
    }

    /// <summary>
    /// The values a dotted path reaches: none when it is missing. Through an array, a numeric
    /// segment indexes it and any other segment is followed into each element, as in MongoDB.
    /// </summary>
    public static List<JsonElement> Resolve(JsonElement document, IReadOnlyList<string> path)
    {
        var current = new List<JsonElement> { document };
        foreach (var segment in path)
        {
            var next = new List<JsonElement>();
            foreach (var value in current)
            {
                Step(value, segment, next, intoElements: true);
            }

            current = next;
            if (current.Count == 0)
            {
                break;
            }
        }

        return current;
    }

    /// <summary>A path's first value, for sorting: missing is <see langword="null"/>.</summary>
    public static JsonElement? ResolveFirst(JsonElement document, IReadOnlyList<string> path)
    {
        var values = Resolve(document, path);
        return values.Count == 0 ? null : values[0];
    }

    private static void Step(JsonElement value, string segment, List<JsonElement> into, bool intoElements)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when value.TryGetProperty(segment, out var property):
                into.Add(property);
                break;
            case JsonValueKind.Array when int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index):
                if (index < value.GetArrayLength())
                {
                    into.Add(value[index]);
                }

                break;
            case JsonValueKind.Array when intoElements:
                foreach (var element in value.EnumerateArray())
                {
                    Step(element, segment, into, intoElements: false);
                }

                break;
        }
    }

    private static Rank RankOf(JsonElement? value) => value?.ValueKind switch
    {
        null or JsonValueKind.Null or JsonValueKind.Undefined => Rank.Null,
        JsonValueKind.Number => Rank.Number,
        JsonValueKind.String => Rank.String,
        JsonValueKind.Object => Rank.Object,
        JsonValueKind.Array => Rank.Array,
        _ => Rank.Boolean,
    };

    /// <summary>
    /// A JSON number as a double; one beyond double's range (<c>1e400</c>) is an infinity of its sign rather than an
    /// exception, so that no client value can turn a query into a 500.
    /// </summary>
    public static double ToDouble(JsonElement number) =>
        number.TryGetDouble(out var value) ? value : number.GetRawText().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;

    private static int CompareNumbers(JsonElement a, JsonElement b) =>
        a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x.CompareTo(y) : ToDouble(a).CompareTo(ToDouble(b));

    private static int CompareArrays(JsonElement a, JsonElement b)
    {
        var length = Math.Min(a.GetArrayLength(), b.GetArrayLength());
        for (var i = 0; i < length; i++)
        {
            var order = Compare(a[i], b[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return a.GetArrayLength().CompareTo(b.GetArrayLength());
    }

    private static bool DeepEquals(JsonElement a, JsonElement b)
    {
        switch (a.ValueKind)
        {
            case JsonValueKind.Number:
                return CompareNumbers(a, b) == 0;
            case JsonValueKind.String:
                return a.ValueEquals(b.GetString());
            case JsonValueKind.True or JsonValueKind.False:
                return a.ValueKind == b.ValueKind;
            case JsonValueKind.Array:
                return a.GetArrayLength() == b.GetArrayLength() && CompareArrays(a, b) == 0;
            case JsonValueKind.Object:
                var count = 0;
                foreach (var property in a.EnumerateObject())
                {
                    count++;
                    if (!b.TryGetProperty(property.Name, out var other) || !AreEqual(property.Value, other))
                    {
                        return false;
                    }
                }

                return count == b.EnumerateObject().Count();
            default:
                return true;
        }
    }
}
