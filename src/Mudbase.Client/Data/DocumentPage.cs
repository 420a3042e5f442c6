namespace Mudbase.Data;

/// <summary>One page of a query's matches, with the server's paging facts.</summary>
/// <typeparam name="T">The document type.</typeparam>
public sealed class DocumentPage<T>
{
    /// <summary>Creates a page (for tests and mocks).</summary>
    /// <param name="items">The documents on this page.</param>
    /// <param name="page">The page number, from 1.</param>
    /// <param name="pageSize">The page size the server applied.</param>
    /// <param name="total">How many documents match in all.</param>
    /// <param name="totalPages">How many pages there are at this size.</param>
    /// <param name="hasMore">Whether a page follows this one.</param>
    public DocumentPage(IReadOnlyList<T> items, int page, int pageSize, long total, int totalPages, bool hasMore)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
        Page = page;
        PageSize = pageSize;
        Total = total;
        TotalPages = totalPages;
        HasMore = hasMore;
    }

    /// <summary>The documents on this page, in the query's order.</summary>
    public IReadOnlyList<T> Items { get; }

    /// <summary>The page number, from 1.</summary>
    public int Page { get; }

    /// <summary>The page size the server applied (it caps it at 100).</summary>
    public int PageSize { get; }

    /// <summary>How many documents match the query in all.</summary>
    public long Total { get; }

    /// <summary>How many pages there are at this size.</summary>
    public int TotalPages { get; }

    /// <summary>Whether a page follows this one (the server's <c>hasMore</c>, or <c>Page &lt; TotalPages</c> when it does not say).</summary>
    public bool HasMore { get; }

    /// <inheritdoc />
    public override string ToString() => $"DocumentPage {{ Page = {Page}, Items = {Items.Count}, Total = {Total}, HasMore = {HasMore} }}";
}
