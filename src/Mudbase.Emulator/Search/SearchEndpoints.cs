using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Mudbase.Emulator.Data;
using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Search;

/// <summary>
/// <c>/api/search/projects/{projectId}/search[/suggestions]</c> (CONTRACT.md, Search): a case-insensitive match of the
/// query in the string fields of the project's documents, each caller seeing only what its read grants reach (as on
/// the data routes; the API key sees everything). A document scores 10 for each field that equals the query, 5 for each
/// field that starts with it, and 1 for every other occurrence; the best come first, ties in insertion order.
/// </summary>
internal sealed class SearchEndpoints(DataRequests requests)
{
    private const int MaxLimit = 100, MaxSuggestions = 20, MinPrefix = 2, MaxPrefix = 50;

    public static void Map(IEndpointRouteBuilder routes, SearchEndpoints endpoints)
    {
        var group = routes.MapGroup("/api/search/projects/{projectId}/search");
        group.MapGet("", endpoints.Search);
        group.MapGet("/suggestions", endpoints.Suggest);
    }

    public IResult Search(HttpRequest request, string projectId)
    {
        var started = Stopwatch.GetTimestamp();
        if (!requests.TryBegin(request, projectId, out var project, out var caller, out var error))
        {
            return error;
        }

        var query = request.Query["q"].ToString().Trim();
        if (query.Length == 0)
        {
            return ErrorResults.BadRequest("Search query is required");
        }

        if (!TryInt(request, "page", 1, 1, int.MaxValue, out var page) || !TryInt(request, "limit", 20, 1, MaxLimit, out var limit))
        {
            return ErrorResults.BadRequest($"page must be at least 1 and limit 1 to {MaxLimit}");
        }

        var collections = List(request, "collections");
        var fields = List(request, "fields");
        var hits = new List<(CollectionSchema Collection, StoredDocument Document, int Score, Dictionary<string, string> Highlight)>();
        foreach (var (collection, document) in Readable(project.Id, caller, collections))
        {
            var score = 0;
            var highlight = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.Body.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String || property.Name.StartsWith('_') || fields is not null && !fields.Contains(property.Name))
                {
                    continue;
                }

                var text = property.Value.GetString()!;
                var fieldScore = Score(text, query);
                if (fieldScore > 0)
                {
                    score += fieldScore;
                    highlight[property.Name] = Highlight(text, query);
                }
            }

            if (score > 0)
            {
                hits.Add((collection, document, score, highlight));
            }
        }

        var ordered = hits.OrderByDescending(hit => hit.Score).ThenBy(hit => hit.Document.Sequence).ToList();
        var totalPages = (int)Math.Ceiling(ordered.Count / (double)limit);
        var pageHits = ordered.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * limit)).Take(limit);
        return JsonAnswer.Write(StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("success", true);
            writer.WriteStartObject("data");
            writer.WriteStartArray("results");
            foreach (var hit in pageHits)
            {
                writer.WriteStartObject();
                writer.WriteString("collection", hit.Collection.Name);
                writer.WriteStartObject("item");
                foreach (var property in hit.Document.Body.EnumerateObject())
                {
                    property.WriteTo(writer);
                }

                writer.WriteNumber("score", hit.Score);
                writer.WriteEndObject();
                writer.WriteStartObject("highlight");
                foreach (var (field, text) in hit.Highlight)
                {
                    writer.WriteString(field, text);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("pagination");
            writer.WriteNumber("page", page);
            writer.WriteNumber("limit", limit);
            writer.WriteNumber("total", ordered.Count);
            writer.WriteNumber("totalPages", totalPages);
            writer.WriteEndObject();
            writer.WriteString("query", query);
            writer.WriteNumber("searchTime", Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2));
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>The words of readable string fields that start with the prefix (any case), most frequent first.</summary>
    public IResult Suggest(HttpRequest request, string projectId)
    {
        if (!requests.TryBegin(request, projectId, out var project, out var caller, out var error))
        {
            return error;
        }

        var prefix = request.Query["q"].ToString().Trim();
        if (prefix.Length is < MinPrefix or > MaxPrefix)
        {
            return ErrorResults.BadRequest($"Query must be {MinPrefix} to {MaxPrefix} characters");
        }

        if (!TryInt(request, "limit", 10, 1, MaxSuggestions, out var limit))
        {
            return ErrorResults.BadRequest($"limit must be 1 to {MaxSuggestions}");
        }

        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (_, document) in Readable(project.Id, caller, collections: null))
        {
            foreach (var property in document.Body.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String && !p.Name.StartsWith('_')))
            {
                foreach (var word in property.Value.GetString()!.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                {
                    var clean = word.Trim('.', ',', ';', ':', '!', '?', '"', '\'', '(', ')');
                    if (clean.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    {
                        counts[clean] = counts.GetValueOrDefault(clean) + 1;
                    }
                }
            }
        }

        var suggestions = counts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase).Take(limit).Select(pair => pair.Key);
        return JsonAnswer.Write(StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("suggestions");
            foreach (var suggestion in suggestions)
            {
                writer.WriteStringValue(suggestion);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>The documents the caller may read, in the named collections (by name, slug or id) or all of them.</summary>
    private IEnumerable<(CollectionSchema Collection, StoredDocument Document)> Readable(string projectId, DataCaller caller, IReadOnlyList<string>? collections)
    {
        var schemas = collections is null
            ? requests.Data.ListCollections(projectId)
            : collections.Select(reference => requests.Data.FindCollection(projectId, reference)).OfType<CollectionSchema>().DistinctBy(c => c.Id).ToList();
        foreach (var collection in schemas)
        {
            var access = DataAccess.For(collection, caller, DataActions.Read);
            if (!access.Granted || requests.Data.Snapshot(collection.Id) is not { } documents)
            {
                continue;
            }

            foreach (var document in documents.Where(document => access.Reaches(document.Body)).OrderBy(document => document.Sequence))
            {
                yield return (collection, document);
            }
        }
    }

    private static int Score(string text, string query)
    {
        if (string.Equals(text, query, StringComparison.OrdinalIgnoreCase))
        {
            return 10;
        }

        var score = 0;
        for (var at = text.IndexOf(query, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(query, at + query.Length, StringComparison.OrdinalIgnoreCase))
        {
            score += at == 0 ? 5 : 1;
        }

        return score;
    }

    /// <summary>The text with each match wrapped in <c>&lt;em&gt;</c>, keeping the text's own case.</summary>
    private static string Highlight(string text, string query)
    {
        var marked = new System.Text.StringBuilder(text.Length + 16);
        var from = 0;
        for (var at = text.IndexOf(query, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(query, from, StringComparison.OrdinalIgnoreCase))
        {
            marked.Append(text, from, at - from).Append("<em>").Append(text, at, query.Length).Append("</em>");
            from = at + query.Length;
        }

        return marked.Append(text, from, text.Length - from).ToString();
    }

    private static string[]? List(HttpRequest request, string name) =>
        request.Query[name].ToString() is { Length: > 0 } csv ? csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;

    private static bool TryInt(HttpRequest request, string name, int fallback, int min, int max, out int value)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            value = fallback;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }
}
