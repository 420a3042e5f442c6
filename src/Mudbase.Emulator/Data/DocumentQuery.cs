using System.Globalization;
using System.Text.Json;

namespace Mudbase.Emulator.Data;

/// <summary>
/// The query of a document list: <c>?page=1&amp;limit=20&amp;sort=-createdAt,title&amp;filter=&lt;JSON&gt;&amp;fields=a,b</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>page</c> counts from 1; <c>limit</c> defaults to 20 and is clamped to 1..100 (a larger one is not an
/// error, as live); a value that is not a whole number takes the default.</item>
/// <item><c>sort</c>: keys separated by commas or spaces (Mongoose's syntax), <c>-</c> for descending, <c>+</c> or
/// nothing for ascending, dotted paths allowed; <c>-createdAt</c> by default. Values compare as
/// <see cref="JsonValues"/> says (a missing field first ascending). Ties keep insertion order, in the direction
/// of the first key, so the default puts the newest first even within one millisecond.</item>
/// <item><c>fields</c>: a projection, separated by commas or spaces, dotted paths allowed; <c>_id</c> is always kept.</item>
/// </list>
/// </remarks>
internal sealed class DocumentQuery
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    private static readonly char[] Separators = [',', ' '];

    private DocumentQuery(int page, int limit, IReadOnlyList<(string[] Path, bool Descending)> sort, Projection? fields, DocumentFilter filter)
    {
        Page = page;
        Limit = limit;
        Sort = sort;
        Fields = fields;
        Filter = filter;
    }

    public int Page { get; }

    public int Limit { get; }

    public IReadOnlyList<(string[] Path, bool Descending)> Sort { get; }

    public Projection? Fields { get; }

    public DocumentFilter Filter { get; }

    /// <exception cref="InvalidQueryException">The filter cannot be run.</exception>
    public static DocumentQuery From(IQueryCollection query)
    {
        var page = Math.Max(1, WholeNumber(query["page"].ToString()) ?? 1);
        var limit = Math.Clamp(WholeNumber(query["limit"].ToString()) ?? DefaultLimit, 1, MaxLimit);
        var sort = query["sort"].ToString().Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(key => key[0] is '-' or '+' ? (Path: key[1..], Descending: key[0] == '-') : (Path: key, Descending: false))
            .Where(key => key.Path.Length > 0)
            .Select(key => (key.Path.Split('.'), key.Descending))
            .ToList();
        if (sort.Count == 0)
        {
            sort.Add((["createdAt"], true));
        }

        var fields = query["fields"].ToString().Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new DocumentQuery(page, limit, sort, fields.Length == 0 ? null : Projection.Of(fields), DocumentFilter.ParseParameter(query["filter"].ToString()));
    }

    /// <summary>Sorts the matching documents.</summary>
    public List<StoredDocument> Order(IEnumerable<StoredDocument> documents)
    {
        var list = documents.ToList();
        var tieDescending = Sort[0].Descending;
        list.Sort((a, b) =>
        {
            foreach (var (path, descending) in Sort)
            {
                var order = JsonValues.Compare(JsonValues.ResolveFirst(a.Body, path), JsonValues.ResolveFirst(b.Body, path));
                if (order != 0)
                {
                    return descending ? -order : order;
                }
            }

            return tieDescending ? b.Sequence.CompareTo(a.Sequence) : a.Sequence.CompareTo(b.Sequence);
        });
        return list;
    }

    private static int? WholeNumber(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? (int)Math.Clamp(value, int.MinValue, int.MaxValue)
            : null;
}

/// <summary>A <c>fields</c> projection: a tree of the requested paths, where a leaf keeps the whole value.</summary>
internal sealed class Projection
{
    private readonly Dictionary<string, Projection?> _children = new(StringComparer.Ordinal);

    public static Projection Of(IEnumerable<string> paths)
    {
        var root = new Projection();
        foreach (var path in paths)
        {
            var node = root;
            var segments = path.Split('.');
            for (var i = 0; i < segments.Length; i++)
            {
                var last = i == segments.Length - 1;
                if (node._children.TryGetValue(segments[i], out var child) && child is null)
                {
                    break; // A parent is already kept whole.
                }

                if (last)
                {
                    node._children[segments[i]] = null;
                    break;
                }

                node = node._children[segments[i]] = child ?? new Projection();
            }
        }

        root._children["_id"] = null;
        return root;
    }

    /// <summary>Writes the parts of <paramref name="document"/> the projection keeps, in the document's order.</summary>
    public void Write(Utf8JsonWriter writer, JsonElement document)
    {
        writer.WriteStartObject();
        foreach (var property in document.EnumerateObject())
        {
            if (!_children.TryGetValue(property.Name, out var child))
            {
                continue;
            }

            if (child is null)
            {
                property.WriteTo(writer);
            }
            else if (property.Value.ValueKind == JsonValueKind.Object)
            {
                writer.WritePropertyName(property.Name);
                child.Write(writer, property.Value);
            }
        }

        writer.WriteEndObject();
    }
}
