namespace Mudbase;

/// <summary>
/// One page of a list, with the server's paging facts: the one shape of every paged answer (documents, functions, files…).
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public abstract class MudbasePage<T>
{
    /// <summary>Creates a page.</summary>
    /// <param name="items">The items on this page.</param>
    /// <param name="page">The page number, from 1.</param>
    /// <param name="pageSize">The page size the server applied.</param>
    /// <param name="total">How many items match in all.</param>
    /// <param name="totalPages">How many pages there are at this size.</param>
    /// <param name="hasMore">Whether a page follows this one.</param>
    protected MudbasePage(IReadOnlyList<T> items, int page, int pageSize, long total, int totalPages, bool hasMore)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
        Page = page;
        PageSize = pageSize;
        Total = total;
        TotalPages = totalPages;
        HasMore = hasMore;
    }

    /// <summary>The items on this page, in the list's order.</summary>
    public IReadOnlyList<T> Items { get; }

    /// <summary>The page number, from 1.</summary>
    public int Page { get; }

    /// <summary>The page size the server applied (it caps it, at 100 for most lists).</summary>
    public int PageSize { get; }

    /// <summary>How many items match in all.</summary>
    public long Total { get; }

    /// <summary>How many pages there are at this size (the server's <c>totalPages</c>, or <c>pages</c>).</summary>
    public int TotalPages { get; }

    /// <summary>Whether a page follows this one (the server's <c>hasMore</c>, or <c>Page &lt; TotalPages</c> when it does not say).</summary>
    public bool HasMore { get; }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name} {{ Page = {Page}, Items = {Items.Count}, Total = {Total}, HasMore = {HasMore} }}";
}
