using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mudbase.Data;
using Mudbase.Serialization;

namespace Mudbase.Search;

// The shapes on the wire (CONTRACT.md, Search), read leniently.

/// <summary><c>{success, data:{results, pagination, query, searchTime}}</c>; the same fields without the <c>data</c> envelope are read too.</summary>
internal sealed class SearchAnswer : IJsonOnDeserialized
{
    public SearchAnswer? Data { get; set; }

    public List<SearchResultWire?>? Results { get; set; }

    public PaginationWire? Pagination { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Query { get; set; }

    /// <summary>Milliseconds as a number, or text such as <c>"12ms"</c>.</summary>
    public JsonNode? SearchTime { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if ((Data ?? this).Results is null)
        {
            throw new JsonException("The search answer has no 'results' array.");
        }
    }

    public SearchResults ToResults(int page, int limit)
    {
        var data = Data ?? this;
        var hits = data.Results!.OfType<SearchResultWire>().Select(static result => result.ToHit()).ToArray();
        var paging = data.Pagination;
        var pageSize = paging is { Limit: > 0 } ? paging.Limit : limit;
        var total = paging?.Total ?? hits.Length;
        var totalPages = paging?.TotalPages ?? paging?.Pages ?? (int)Math.Ceiling(total / (double)Math.Max(1, pageSize));
        var current = paging is { Page: > 0 } ? paging.Page : page;
        return new SearchResults
        {
            Hits = hits,
            Page = current,
            PageSize = pageSize,
            Total = total,
            TotalPages = totalPages,
            HasMore = paging?.HasMore ?? current < totalPages,
            Query = data.Query,
            SearchTime = ToTime(data.SearchTime),
        };
    }

    private static TimeSpan? ToTime(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<double>(out var ms) => TimeSpan.FromMilliseconds(ms),
        JsonValue value when value.TryGetValue<string>(out var text) && Milliseconds(text) is { } ms => TimeSpan.FromMilliseconds(ms),
        _ => null,
    };

    /// <summary><c>"12"</c> or <c>"12ms"</c>; null for anything else.</summary>
    private static double? Milliseconds(string text)
    {
        var number = text.Trim();
        number = number.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? number[..^2] : number;
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : null;
    }
}

/// <summary><c>{collection, item:{_id, score, …}, highlight:{field:"…"}}</c>.</summary>
internal sealed class SearchResultWire
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Collection { get; set; }

    public JsonObject? Item { get; set; }

    /// <summary>Some servers put the score beside the item rather than in it.</summary>
    public double? Score { get; set; }

    public JsonObject? Highlight { get; set; }

    public SearchHit ToHit()
    {
        var item = Item ?? [];
        var score = Score ?? (item["score"] is JsonValue value && value.TryGetValue<double>(out var inItem) ? inItem : 0);
        var highlights = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Highlight ?? [])
        {
            // A field's fragments may come as one text or as a list of them.
            var joined = entry.Value switch
            {
                JsonValue one when one.TryGetValue<string>(out var fragment) => fragment,
                JsonArray many => string.Join(" … ", many.OfType<JsonValue>().Select(static f => f.TryGetValue<string>(out var s) ? s : null).OfType<string>()),
                _ => null,
            };
            if (joined is not null)
            {
                highlights[entry.Key] = joined;
            }
        }

        return new SearchHit { Collection = Collection ?? "", Document = new MudbaseDocument(item), Score = score, Highlights = highlights };
    }
}

/// <summary><c>{suggestions:[string]}</c>; <c>{success, data:{suggestions}}</c> is read too.</summary>
internal sealed class SuggestionsAnswer : IJsonOnDeserialized
{
    public SuggestionsAnswer? Data { get; set; }

    public List<string?>? Suggestions { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if ((Data ?? this).Suggestions is null)
        {
            throw new JsonException("The answer has no 'suggestions' array.");
        }
    }

    public IReadOnlyList<string> ToList() => Internal.WireText.Strings((Data ?? this).Suggestions);
}
