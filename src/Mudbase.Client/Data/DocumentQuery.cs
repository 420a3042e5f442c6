using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Mudbase.Diagnostics;
using Mudbase.Http;
using Mudbase.Internal;

namespace Mudbase.Data;

/// <summary>
/// A query over a collection: a filter, an order, a projection and a page size. Immutable: every method returns a new
/// query, so one can be kept, reused and shared between threads. Nothing is sent until a terminal call
/// (<see cref="GetPageAsync"/>, <see cref="ToAsyncEnumerable"/>, <see cref="CountAsync"/>, <see cref="FirstOrDefaultAsync"/>).
/// </summary>
/// <typeparam name="T">The document type.</typeparam>
public sealed class DocumentQuery<T>
{
    /// <summary>The server's default page size.</summary>
    private const int DefaultPageSize = 20;

    /// <summary>The largest page the server serves.</summary>
    private const int MaxPageSize = 100;

    private readonly DocumentCollection<T> _collection;

    // The Where conditions as given, combined into one filter on first use: building a query stays cheap.
    private readonly Filter[] _where;
    private Filter? _filter;

    // The order as the server reads it (-createdAt,title), or null: ThenBy appends to it.
    private readonly string? _sort;
    private readonly string[]? _fields;
    private readonly int _limit;

    internal DocumentQuery(DocumentCollection<T> collection)
        : this(collection, [], null, null, DefaultPageSize)
    {
    }

    private DocumentQuery(DocumentCollection<T> collection, Filter[] where, string? sort, string[]? fields, int limit)
    {
        _collection = collection;
        _where = where;
        _sort = sort;
        _fields = fields;
        _limit = limit;
    }

    /// <summary>The collection queried.</summary>
    public DocumentCollection<T> Collection => _collection;

    /// <summary>The filter (every <c>Where</c> joined by AND), or null for every document.</summary>
    public Filter? Filter => _where.Length switch
    {
        0 => null,
        1 => _where[0],
        _ => _filter ??= Filter.And(_where),
    };

    /// <summary>The order as the server reads it (<c>-createdAt,title</c>), or null for the server's default (newest first).</summary>
    public string? Sort => _sort;

    /// <summary>The fields each document is cut down to, or null for whole documents.</summary>
    public IReadOnlyList<string>? Fields => _fields;

    /// <summary>How many documents a page holds (1 to 100; 20 unless set).</summary>
    public int Limit => _limit;

    /// <summary>Keeps the documents that match <paramref name="filter"/> too (AND with any filter already there).</summary>
    /// <param name="filter">The condition, for example <c>Filter.Eq("status", "open") &amp; Filter.Gt("priority", 2)</c>.</param>
    /// <returns>The new query.</returns>
    public DocumentQuery<T> Where(Filter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return With(where: [.. _where, filter]);
    }

    /// <summary>
    /// Keeps the documents that match <paramref name="predicate"/> too, written in C# and checked by the compiler:
    /// <c>Where(t =&gt; t.Priority &gt; 2 &amp;&amp; t.Status == "open")</c>. Field names come from the type's JSON metadata (so
    /// <c>[JsonPropertyName]</c> and naming policies apply); the expression is read, never compiled or run, so Native AOT works.
    /// </summary>
    /// <param name="predicate">Comparisons (<c>== != &lt; &lt;= &gt; &gt;=</c>) of a member path with a constant or a captured
    /// value, joined by <c>&amp;&amp;</c>, <c>||</c> and <c>!</c>; a bool member alone; null checks; <c>list.Contains(t.Field)</c>.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="NotSupportedException">A part of the expression has no filter form; the message names it.</exception>
    public DocumentQuery<T> Where(Expression<Func<T, bool>> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Where(FilterExpression.Translate(predicate, _collection.TypeInfo));
    }

    /// <summary>Orders by <paramref name="field"/>, ascending, replacing any order set before.</summary>
    /// <param name="field">The field (a dotted path reaches into objects).</param>
    /// <returns>The new query.</returns>
    public DocumentQuery<T> OrderBy(string field) => With(sort: SortKey(field, descending: false));

    /// <summary>Orders by <paramref name="field"/>, descending, replacing any order set before.</summary>
    /// <param name="field">The field (a dotted path reaches into objects).</param>
    /// <returns>The new query.</returns>
    public DocumentQuery<T> OrderByDescending(string field) => With(sort: SortKey(field, descending: true));

    /// <summary>Then by <paramref name="field"/>, ascending, among documents equal in the order so far.</summary>
    /// <param name="field">The field (a dotted path reaches into objects).</param>
    /// <returns>The new query.</returns>
    /// <exception cref="InvalidOperationException">No order was set before (call <see cref="OrderBy"/> first).</exception>
    public DocumentQuery<T> ThenBy(string field) => With(sort: Then(field, descending: false));

    /// <summary>Then by <paramref name="field"/>, descending, among documents equal in the order so far.</summary>
    /// <param name="field">The field (a dotted path reaches into objects).</param>
    /// <returns>The new query.</returns>
    /// <exception cref="InvalidOperationException">No order was set before (call <see cref="OrderBy"/> first).</exception>
    public DocumentQuery<T> ThenByDescending(string field) => With(sort: Then(field, descending: true));

    /// <summary>Cuts each document down to <paramref name="fields"/> (the id always comes back), replacing any projection set before.</summary>
    /// <param name="fields">The fields to keep.</param>
    /// <returns>The new query.</returns>
    public DocumentQuery<T> Select(params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Length == 0)
        {
            throw new ArgumentException("Name at least one field.", nameof(fields));
        }

        foreach (var field in fields)
        {
            CheckField(field, nameof(fields));
        }

        return With(fields: (string[])fields.Clone());
    }

    /// <summary>Sets how many documents a page holds.</summary>
    /// <param name="limit">1 to 100 (the server serves no more than 100 a page).</param>
    /// <returns>The new query.</returns>
    public DocumentQuery<T> PageSize(int limit)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"A page holds 1 to {MaxPageSize} documents.");
        }

        return With(limit: limit);
    }

    /// <summary>Gets one page of the matches.</summary>
    /// <param name="page">The page number, from 1.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, with the total and whether more follow.</returns>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    public Task<DocumentPage<T>> GetPageAsync(int page = 1, CancellationToken cancellationToken = default)
    {
        if (page < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(page), page, "Pages are numbered from 1.");
        }

        return Operation.RunAsync("mudbase.data.list", this, page, static (q, page, ct) => q.ListAsync(page, q._limit, q._fields, q._collection.ListAnswerTypeInfo, ct), cancellationToken);
    }

    /// <summary>
    /// Every match, page after page: the next page is fetched only when the consumer gets there, and enumeration ends after the
    /// page that says nothing more follows. The server pages by number, not by cursor: a document created or deleted while
    /// enumerating can shift the pages, so one may be skipped or seen twice; order by a unique field (<c>_id</c>) and
    /// write nothing meanwhile for an exact pass.
    /// </summary>
    /// <param name="cancellationToken">Cancels the enumeration, and the page request in flight.</param>
    /// <returns>The matches, lazily.</returns>
    public async IAsyncEnumerable<T> ToAsyncEnumerable([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var page = 1; ; page++)
        {
            var result = await GetPageAsync(page, cancellationToken).ConfigureAwait(false);
            foreach (var item in result.Items)
            {
                // A page in hand is no reason to go on after the caller has cancelled.
                cancellationToken.ThrowIfCancellationRequested();
                yield return item;
            }

            if (!result.HasMore || result.Items.Count == 0)
            {
                yield break;
            }
        }
    }

    /// <summary>How many documents match (one request for one id: the server's total).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of matches.</returns>
    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        Operation.RunAsync("mudbase.data.count", this, 0, static async (q, _, ct) =>
            (await q.ListAsync(1, 1, IdOnly, typeInfo: null, ct).ConfigureAwait(false)).Total, cancellationToken);

    /// <summary>The first match in the query's order, or the default (null) when nothing matches.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The first match, or default.</returns>
    public Task<T?> FirstOrDefaultAsync(CancellationToken cancellationToken = default) =>
        Operation.RunAsync("mudbase.data.first", this, 0, static async (q, _, ct) =>
        {
            var page = await q.ListAsync(1, 1, q._fields, q._collection.ListAnswerTypeInfo, ct).ConfigureAwait(false);
            return page.Items.Count == 0 ? default : page.Items[0];
        }, cancellationToken);

    /// <summary>
    /// The query's whole result, kept current: a first snapshot of every match, then a new one after each change to the
    /// result, with what changed (<see cref="Realtime.QuerySnapshot{T}.Changes"/>, by document id). After a lost connection
    /// is back, a snapshot with <see cref="Realtime.QuerySnapshot{T}.IsResync"/> holds everything missed meanwhile. The
    /// filter and the order apply; <see cref="PageSize"/> and <see cref="Select"/> do not (the snapshot is the whole result,
    /// with whole documents). Leaving the <c>await foreach</c> (or cancelling) unsubscribes.
    /// </summary>
    /// <param name="options">The buffer and what to do when the consumer falls behind (older snapshots are replaced by newer ones).</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The snapshots, for one consumer.</returns>
    public IAsyncEnumerable<Realtime.QuerySnapshot<T>> WatchAsync(Realtime.WatchOptions? options = null, CancellationToken cancellationToken = default) =>
        Realtime.RealtimeStreams.Query(this, options, cancellationToken);

    /// <inheritdoc />
    public override string ToString() =>
        $"DocumentQuery<{typeof(T).Name}> {{ CollectionId = {_collection.CollectionId}, Filter = {Filter?.ToString() ?? "none"}, Sort = {Sort ?? "default"}, Limit = {_limit} }}";

    /// <summary>A count needs the total, not the documents.</summary>
    private static readonly string[] IdOnly = ["_id"];

    /// <summary>One page; without <paramref name="typeInfo"/>, only its paging facts (the documents are not read).</summary>
    private Task<DocumentPage<T>> ListAsync(int page, int limit, string[]? fields, System.Text.Json.Serialization.Metadata.JsonTypeInfo<ListAnswer<T>>? typeInfo, CancellationToken cancellationToken)
    {
        var data = _collection.Data;
        var call = data.Api.ListAsync(
            _collection.ProjectId, _collection.CollectionId, page, limit, Sort, Filter is { IsEmpty: false } f ? f.ToJson() : null,
            fields is null ? null : string.Join(",", fields), data.Sessions, cancellationToken);
        return JsonAnswer.ReadAsync(call, data.Errors, (typeInfo, page, limit), DataWire.ReadPage, cancellationToken);
    }

    private DocumentQuery<T> With(Filter[]? where = null, string? sort = null, string[]? fields = null, int? limit = null) =>
        new(_collection, where ?? _where, sort ?? _sort, fields ?? _fields, limit ?? _limit);

    private string Then(string field, bool descending)
    {
        CheckField(field, nameof(field));
        if (_sort is null)
        {
            throw new InvalidOperationException("ThenBy follows an order: call OrderBy or OrderByDescending first.");
        }

        return string.Concat(_sort, descending ? ",-" : ",", field);
    }

    private static string SortKey(string field, bool descending)
    {
        CheckField(field, nameof(field));
        return descending ? "-" + field : field;
    }

    private static void CheckField(string field, string paramName)
    {
        Guard.NotBlank(field, paramName);
        if (field[0] is '-' or '$' || field.AsSpan().IndexOfAny(',', ' ') >= 0)
        {
            throw new ArgumentException($"'{field}' is not a field name: no leading '-' or '$', no commas or spaces.", paramName);
        }
    }
}
