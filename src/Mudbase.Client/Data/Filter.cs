using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mudbase.Data;

/// <summary>
/// A query filter: an immutable Mongo-like JSON object such as
/// <c>{"status":"open","priority":{"$gt":2},"$or":[…]}</c>, sent as the list call's <c>filter</c> parameter.
/// </summary>
/// <remarks>
/// <para>
/// Build one from the factory methods (<see cref="Eq(string, string)"/>, <see cref="Gt(string, int)"/>,
/// <see cref="In(string, string[])"/>, …) and combine them with <see cref="And"/>, <see cref="Or"/>, <c>&amp;</c> and
/// <c>|</c>. Only the operators the server accepts can be expressed: equality, <c>$eq $ne $gt $gte $lt $lte $in $nin
/// $exists $and $or</c>. <see cref="Eq(string, string)"/> is written as plain equality (<c>{"f":v}</c>), except for an
/// object value, which is written <c>{"f":{"$eq":{…}}}</c> so that its keys can never be read as operators.
/// </para>
/// <para>
/// Combining: <see cref="And"/> flattens nested ANDs into one object. Conditions on different fields sit side by side;
/// operator conditions on the same field merge into one object when their operators differ
/// (<c>{"p":{"$gt":1,"$lt":5}}</c>); anything that would clash (the same operator twice, plain equality and an
/// operator, a second <c>$or</c>) goes into an <c>$and</c> array instead, so no condition is ever lost.
/// <see cref="Or"/> flattens nested ORs into one <c>$or</c> array.
/// </para>
/// <para>
/// Values: a <see cref="DateTimeOffset"/> is written in UTC with millisecond precision,
/// <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>: the form JavaScript's <c>Date.toISOString()</c> gives, which is how the server
/// writes <c>createdAt</c> and <c>updatedAt</c>, so string and date comparisons on the server agree. Sub-millisecond
/// digits are dropped. A <see langword="null"/> value is JSON <c>null</c> (on the server, <c>Eq(field, null)</c> also
/// matches documents without the field). Doubles must be finite.
/// </para>
/// <para>
/// Two filters are equal when their JSON means the same: the order of keys, the spelling of numbers
/// (<c>1</c>, <c>1.0</c>), <c>{"f":v}</c> versus <c>{"f":{"$eq":v}}</c>, and the order of the items of <c>$in</c>,
/// <c>$nin</c>, <c>$and</c> and <c>$or</c> do not matter. Equality does not try to prove that two differently shaped
/// filters select the same documents.
/// </para>
/// </remarks>
public sealed class Filter : IEquatable<Filter>
{
    /// <summary>The filter with no condition: it matches every document, and the list call sends no <c>filter</c>.</summary>
    public static Filter Empty { get; } = new(new JsonObject());

    // A filter is one of three things, so that building one costs little and a JSON tree is made only to combine with
    // another tree: a single condition (field, operator or null for plain equality, value), kept as given; an AND of
    // single conditions, kept as a list and merged as it is written; or a JSON object (Or, FromJson, an AND with either).

    /// <summary>A single condition's field; null for the other two kinds.</summary>
    private readonly string? _field;

    /// <summary>A single condition's operator (<c>$gt</c>, …), or null for plain equality.</summary>
    private readonly string? _operator;

    /// <summary>
    /// A single condition's value: null, a string (dates as written), a boxed bool, int, long, double or decimal, a private
    /// <see cref="JsonNode"/>, or an array of one of those (for <c>$in</c> and <c>$nin</c>).
    /// </summary>
    private readonly object? _value;

    /// <summary>An AND's single conditions, in order; null for the other two kinds.</summary>
    private readonly Filter[]? _conjuncts;

    /// <summary>True when no two of <see cref="_conjuncts"/> are on the same field.</summary>
    private readonly bool _distinctFields;

    /// <summary>The filter's JSON object: the third kind's own, the others' made when first combined with a tree.</summary>
    private JsonObject? _root;

    // Written on first use (a query is often built, combined and sent once; building stays cheap).
    private string? _json;

    private string? _canonical;

    private Filter(JsonObject root) => _root = root;

    private Filter(string field, string? op, object? value)
    {
        _field = field;
        _operator = op;
        _value = value;
    }

    private Filter(Filter[] conjuncts)
    {
        _conjuncts = conjuncts;
        _distinctFields = true;
        for (var i = 1; i < conjuncts.Length && _distinctFields; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (conjuncts[i]._field == conjuncts[j]._field)
                {
                    _distinctFields = false;
                    break;
                }
            }
        }
    }

    /// <summary>True for <see cref="Empty"/> and any other filter without a condition.</summary>
    public bool IsEmpty => _field is null && _conjuncts is null && _root!.Count == 0;

    /// <summary>The root object (read-only by convention: callers clone before changing anything).</summary>
    internal JsonObject Root
    {
        get
        {
            if (Volatile.Read(ref _root) is { } root)
            {
                return root;
            }

            var made = _conjuncts is { } conjuncts ? FilterJson.And(conjuncts.Select(static conjunct => conjunct.Root)) : SingleRoot();
            return Interlocked.CompareExchange(ref _root, made, null) ?? made;
        }
    }

    // Equality

    /// <summary>Documents whose <paramref name="field"/> equals <paramref name="value"/> (<c>null</c>: is null or missing).</summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The filter.</returns>
    public static Filter Eq(string field, string? value) => Equality(field, Held(value));

    /// <inheritdoc cref="Eq(string, string)"/>
    public static Filter Eq(string field, bool value) => Equality(field, Held(value));

    /// <inheritdoc cref="Eq(string, string)"/>
    public static Filter Eq(string field, int value) => Equality(field, Held(value));

    /// <inheritdoc cref="Eq(string, string)"/>
    public static Filter Eq(string field, long value) => Equality(field, Held(value));

    /// <inheritdoc cref="Eq(string, string)"/>
    public static Filter Eq(string field, double value) => Equality(field, Held(value, nameof(value)));

    /// <inheritdoc cref="Eq(string, string)"/>
    public static Filter Eq(string field, decimal value) => Equality(field, Held(value));

    /// <inheritdoc cref="Eq(string, string)"/>
    public static Filter Eq(string field, DateTimeOffset value) => Equality(field, Held(value));

    /// <inheritdoc cref="Eq(string, string)"/>
    public static Filter Eq(string field, JsonNode? value) => Equality(field, FilterJson.CopyValue(value, nameof(value)));

    // Not equal

    /// <summary>Documents whose <paramref name="field"/> differs from <paramref name="value"/> (<c>$ne</c>; also matches documents without the field).</summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The filter.</returns>
    public static Filter Ne(string field, string? value) => Operator(field, "$ne", Held(value));

    /// <inheritdoc cref="Ne(string, string)"/>
    public static Filter Ne(string field, bool value) => Operator(field, "$ne", Held(value));

    /// <inheritdoc cref="Ne(string, string)"/>
    public static Filter Ne(string field, int value) => Operator(field, "$ne", Held(value));

    /// <inheritdoc cref="Ne(string, string)"/>
    public static Filter Ne(string field, long value) => Operator(field, "$ne", Held(value));

    /// <inheritdoc cref="Ne(string, string)"/>
    public static Filter Ne(string field, double value) => Operator(field, "$ne", Held(value, nameof(value)));

    /// <inheritdoc cref="Ne(string, string)"/>
    public static Filter Ne(string field, decimal value) => Operator(field, "$ne", Held(value));

    /// <inheritdoc cref="Ne(string, string)"/>
    public static Filter Ne(string field, DateTimeOffset value) => Operator(field, "$ne", Held(value));

    /// <inheritdoc cref="Ne(string, string)"/>
    public static Filter Ne(string field, JsonNode? value) => Operator(field, "$ne", FilterJson.CopyValue(value, nameof(value)));

    // Greater than

    /// <summary>Documents whose <paramref name="field"/> is greater than <paramref name="value"/> (<c>$gt</c>).</summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The filter.</returns>
    public static Filter Gt(string field, string? value) => Operator(field, "$gt", Held(value));

    /// <inheritdoc cref="Gt(string, string)"/>
    public static Filter Gt(string field, bool value) => Operator(field, "$gt", Held(value));

    /// <inheritdoc cref="Gt(string, string)"/>
    public static Filter Gt(string field, int value) => Operator(field, "$gt", Held(value));

    /// <inheritdoc cref="Gt(string, string)"/>
    public static Filter Gt(string field, long value) => Operator(field, "$gt", Held(value));

    /// <inheritdoc cref="Gt(string, string)"/>
    public static Filter Gt(string field, double value) => Operator(field, "$gt", Held(value, nameof(value)));

    /// <inheritdoc cref="Gt(string, string)"/>
    public static Filter Gt(string field, decimal value) => Operator(field, "$gt", Held(value));

    /// <inheritdoc cref="Gt(string, string)"/>
    public static Filter Gt(string field, DateTimeOffset value) => Operator(field, "$gt", Held(value));

    /// <inheritdoc cref="Gt(string, string)"/>
    public static Filter Gt(string field, JsonNode? value) => Operator(field, "$gt", FilterJson.CopyValue(value, nameof(value)));

    // Greater than or equal

    /// <summary>Documents whose <paramref name="field"/> is greater than or equal to <paramref name="value"/> (<c>$gte</c>).</summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The filter.</returns>
    public static Filter Gte(string field, string? value) => Operator(field, "$gte", Held(value));

    /// <inheritdoc cref="Gte(string, string)"/>
    public static Filter Gte(string field, bool value) => Operator(field, "$gte", Held(value));

    /// <inheritdoc cref="Gte(string, string)"/>
    public static Filter Gte(string field, int value) => Operator(field, "$gte", Held(value));

    /// <inheritdoc cref="Gte(string, string)"/>
    public static Filter Gte(string field, long value) => Operator(field, "$gte", Held(value));

    /// <inheritdoc cref="Gte(string, string)"/>
    public static Filter Gte(string field, double value) => Operator(field, "$gte", Held(value, nameof(value)));

    /// <inheritdoc cref="Gte(string, string)"/>
    public static Filter Gte(string field, decimal value) => Operator(field, "$gte", Held(value));

    /// <inheritdoc cref="Gte(string, string)"/>
    public static Filter Gte(string field, DateTimeOffset value) => Operator(field, "$gte", Held(value));

    /// <inheritdoc cref="Gte(string, string)"/>
    public static Filter Gte(string field, JsonNode? value) => Operator(field, "$gte", FilterJson.CopyValue(value, nameof(value)));

    // Less than

    /// <summary>Documents whose <paramref name="field"/> is less than <paramref name="value"/> (<c>$lt</c>).</summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The filter.</returns>
    public static Filter Lt(string field, string? value) => Operator(field, "$lt", Held(value));

    /// <inheritdoc cref="Lt(string, string)"/>
    public static Filter Lt(string field, bool value) => Operator(field, "$lt", Held(value));

    /// <inheritdoc cref="Lt(string, string)"/>
    public static Filter Lt(string field, int value) => Operator(field, "$lt", Held(value));

    /// <inheritdoc cref="Lt(string, string)"/>
    public static Filter Lt(string field, long value) => Operator(field, "$lt", Held(value));

    /// <inheritdoc cref="Lt(string, string)"/>
    public static Filter Lt(string field, double value) => Operator(field, "$lt", Held(value, nameof(value)));

    /// <inheritdoc cref="Lt(string, string)"/>
    public static Filter Lt(string field, decimal value) => Operator(field, "$lt", Held(value));

    /// <inheritdoc cref="Lt(string, string)"/>
    public static Filter Lt(string field, DateTimeOffset value) => Operator(field, "$lt", Held(value));

    /// <inheritdoc cref="Lt(string, string)"/>
    public static Filter Lt(string field, JsonNode? value) => Operator(field, "$lt", FilterJson.CopyValue(value, nameof(value)));

    // Less than or equal

    /// <summary>Documents whose <paramref name="field"/> is less than or equal to <paramref name="value"/> (<c>$lte</c>).</summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The filter.</returns>
    public static Filter Lte(string field, string? value) => Operator(field, "$lte", Held(value));

    /// <inheritdoc cref="Lte(string, string)"/>
    public static Filter Lte(string field, bool value) => Operator(field, "$lte", Held(value));

    /// <inheritdoc cref="Lte(string, string)"/>
    public static Filter Lte(string field, int value) => Operator(field, "$lte", Held(value));

    /// <inheritdoc cref="Lte(string, string)"/>
    public static Filter Lte(string field, long value) => Operator(field, "$lte", Held(value));

    /// <inheritdoc cref="Lte(string, string)"/>
    public static Filter Lte(string field, double value) => Operator(field, "$lte", Held(value, nameof(value)));

    /// <inheritdoc cref="Lte(string, string)"/>
    public static Filter Lte(string field, decimal value) => Operator(field, "$lte", Held(value));

    /// <inheritdoc cref="Lte(string, string)"/>
    public static Filter Lte(string field, DateTimeOffset value) => Operator(field, "$lte", Held(value));

    /// <inheritdoc cref="Lte(string, string)"/>
    public static Filter Lte(string field, JsonNode? value) => Operator(field, "$lte", FilterJson.CopyValue(value, nameof(value)));

    // In

    /// <summary>
    /// Documents whose <paramref name="field"/> equals one of <paramref name="values"/> (<c>$in</c>; an empty list matches
    /// nothing).
    /// </summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="values">The values, in the order given; <see langword="null"/> items are JSON <c>null</c>.</param>
    /// <returns>The filter.</returns>
    public static Filter In(string field, params string?[] values) => List(field, "$in", values);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<string?> values) => List(field, "$in", values);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, params bool[] values) => List(field, "$in", values);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<bool> values) => List(field, "$in", values);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, params int[] values) => List(field, "$in", values);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<int> values) => List(field, "$in", values);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, params long[] values) => List(field, "$in", values);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<long> values) => List(field, "$in", values);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, params double[] values) => Doubles(field, "$in", values);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<double> values) => Doubles(field, "$in", values);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, params decimal[] values) => List(field, "$in", values);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<decimal> values) => List(field, "$in", values);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, params DateTimeOffset[] values) => Dates(field, "$in", values);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<DateTimeOffset> values) => Dates(field, "$in", values);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<JsonNode?> values) => Nodes(field, "$in", values);

    // Not in

    /// <summary>
    /// Documents whose <paramref name="field"/> equals none of <paramref name="values"/> (<c>$nin</c>; also matches
    /// documents without the field).
    /// </summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="values">The values, in the order given; <see langword="null"/> items are JSON <c>null</c>.</param>
    /// <returns>The filter.</returns>
    public static Filter NotIn(string field, params string?[] values) => List(field, "$nin", values);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<string?> values) => List(field, "$nin", values);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, params bool[] values) => List(field, "$nin", values);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<bool> values) => List(field, "$nin", values);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, params int[] values) => List(field, "$nin", values);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<int> values) => List(field, "$nin", values);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, params long[] values) => List(field, "$nin", values);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<long> values) => List(field, "$nin", values);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, params double[] values) => Doubles(field, "$nin", values);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<double> values) => Doubles(field, "$nin", values);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, params decimal[] values) => List(field, "$nin", values);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<decimal> values) => List(field, "$nin", values);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, params DateTimeOffset[] values) => Dates(field, "$nin", values);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<DateTimeOffset> values) => Dates(field, "$nin", values);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<JsonNode?> values) => Nodes(field, "$nin", values);

    // Exists

    /// <summary>
    /// Documents that have <paramref name="field"/> (<c>{"f":{"$exists":true}}</c>; a field holding <c>null</c> exists),
    /// or, with <paramref name="exists"/> false, documents that lack it.
    /// </summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="exists">True for documents that have the field, false for those that do not.</param>
    /// <returns>The filter.</returns>
    public static Filter Exists(string field, bool exists = true) => Operator(field, "$exists", Held(exists));

    // Combining

    /// <summary>
    /// Documents that match every filter. Nested ANDs are flattened; see the remarks on <see cref="Filter"/> for how
    /// conditions on the same field merge. <see cref="Empty"/> operands are ignored.
    /// </summary>
    /// <param name="filters">At least one filter.</param>
    /// <returns>The combined filter (the operand itself when there is only one).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="filters"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="filters"/> is empty.</exception>
    public static Filter And(params Filter[] filters)
    {
        CheckOperands(filters, nameof(filters));
        if (filters.Length == 1)
        {
            return filters[0];
        }

        // Single conditions only (Empty adds nothing): kept as a list, merged when written.
        var count = 0;
        Filter? single = null;
        foreach (var filter in filters)
        {
            if (filter._field is not null)
            {
                count++;
                single = filter;
            }
            else if (filter._conjuncts is { } nested && filter._distinctFields)
            {
                // Its JSON is its conditions side by side, so they join this list as they are. One with a field twice has
                // merged or set aside some of them, and is merged as such, as a tree, like any other.
                count += nested.Length;
            }
            else if (!filter.IsEmpty)
            {
                return new Filter(FilterJson.And(filters.Select(static filter => filter.Root)));
            }
        }

        if (count <= 1)
        {
            return single ?? Empty;
        }

        var conjuncts = new Filter[count];
        var at = 0;
        foreach (var filter in filters)
        {
            if (filter._conjuncts is { } nested)
            {
                nested.CopyTo(conjuncts, at);
                at += nested.Length;
            }
            else if (filter._field is not null)
            {
                conjuncts[at++] = filter;
            }
        }

        return new Filter(conjuncts);
    }

    /// <summary>
    /// Documents that match at least one filter (<c>$or</c>). Nested ORs are flattened into one <c>$or</c> array. An
    /// <see cref="Empty"/> operand matches every document, and so does the result.
    /// </summary>
    /// <param name="filters">At least one filter.</param>
    /// <returns>The combined filter (the operand itself when there is only one).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="filters"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="filters"/> is empty.</exception>
    public static Filter Or(params Filter[] filters)
    {
        CheckOperands(filters, nameof(filters));
        if (filters.Length == 1)
        {
            return filters[0];
        }

        if (filters.Any(filter => filter.IsEmpty))
        {
            return Empty;
        }

        return new Filter(FilterJson.Or(filters.Select(static filter => filter.Root)));
    }

    /// <summary>Documents that match both filters: <c>And(left, right)</c>.</summary>
    /// <param name="left">The first filter.</param>
    /// <param name="right">The second filter.</param>
    /// <returns>The combined filter.</returns>
    public static Filter operator &(Filter left, Filter right) => BitwiseAnd(left, right);

    /// <summary>Documents that match either filter: <c>Or(left, right)</c>.</summary>
    /// <param name="left">The first filter.</param>
    /// <param name="right">The second filter.</param>
    /// <returns>The combined filter.</returns>
    public static Filter operator |(Filter left, Filter right) => BitwiseOr(left, right);

    /// <summary>The named form of <c>&amp;</c>: <c>And(left, right)</c>.</summary>
    /// <param name="left">The first filter.</param>
    /// <param name="right">The second filter.</param>
    /// <returns>The combined filter.</returns>
    public static Filter BitwiseAnd(Filter left, Filter right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return And(left, right);
    }

    /// <summary>The named form of <c>|</c>: <c>Or(left, right)</c>.</summary>
    /// <param name="left">The first filter.</param>
    /// <param name="right">The second filter.</param>
    /// <returns>The combined filter.</returns>
    public static Filter BitwiseOr(Filter left, Filter right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return Or(left, right);
    }

    // Raw JSON

    /// <summary>
    /// A filter written as JSON, checked against what the server accepts: only equality and <c>$eq $ne $gt $gte $lt
    /// $lte $in $nin $exists $and $or</c>, in their places. <c>$regex</c>, <c>$text</c>, <c>$where</c> (which the server
    /// refuses with a 400) and every other operator are refused here, however deeply nested.
    /// </summary>
    /// <param name="filter">The filter object. It is copied: changing it afterwards does not change the filter.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="filter"/> uses an operator the server refuses, or has a blank or <c>$</c>-prefixed field name, or
    /// an <c>$and</c>/<c>$or</c>/<c>$in</c>/<c>$nin</c> that is not an array; the message gives the path.
    /// </exception>
    public static Filter FromJson(JsonObject filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var copy = (JsonObject)FilterJson.Copy(filter, nameof(filter))!;
        FilterJson.Validate(copy, nameof(filter));
        return new Filter(copy);
    }

    /// <summary>A filter written as JSON text; see <see cref="FromJson(JsonObject)"/> for the checks.</summary>
    /// <param name="filter">A JSON object, such as <c>{"status":"open"}</c>.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="filter"/> is not a JSON object, or fails the checks.</exception>
    public static Filter FromJson(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(filter);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ArgumentException($"filter is not valid JSON: {ex.Message}", nameof(filter), ex);
        }

        if (node is not JsonObject root)
        {
            throw new ArgumentException("filter must be a JSON object, such as {\"status\":\"open\"}.", nameof(filter));
        }

        FilterJson.Validate(root, nameof(filter));
        return new Filter(root);
    }

    // Output and equality

    /// <summary>The JSON the query carries, compact, as in <c>{"status":"open"}</c>.</summary>
    internal string ToJson() => _json ??= _field is null && _conjuncts is null ? FilterJson.Write(_root!) : FilterJson.Write(this, static (writer, filter) => filter.WriteTo(writer));

    /// <summary>The filter's JSON, compact, as in <c>{"status":"open","priority":{"$gt":2}}</c>.</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => ToJson();

    /// <summary>True when both filters' JSON means the same (see the remarks on <see cref="Filter"/>).</summary>
    /// <param name="other">The filter to compare with.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(Filter? other) =>
        other is not null && (ReferenceEquals(this, other) || string.Equals(Canonical, other.Canonical, StringComparison.Ordinal));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Filter);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Canonical);

    private string Canonical => _canonical ??= FilterJson.Canonical(ToJson());

    // Building blocks

    internal static Filter FromTrustedRoot(JsonObject root) => new(root);

    private static Filter Equality(string field, object? value)
    {
        FilterJson.CheckField(field, nameof(field));

        // An object's own keys could read as operators: {"$eq":{…}} says it is a value.
        return new Filter(field, value is JsonObject ? "$eq" : null, value);
    }

    private static Filter Operator(string field, string op, object? value)
    {
        FilterJson.CheckField(field, nameof(field));
        return new Filter(field, op, value);
    }

    /// <summary>A list of values, copied: the caller's array may change afterwards.</summary>
    private static Filter List<T>(string field, string op, IEnumerable<T> values)
    {
        FilterJson.CheckField(field, nameof(field));
        ArgumentNullException.ThrowIfNull(values);
        return new Filter(field, op, values.ToArray());
    }

    private static Filter Doubles(string field, string op, IEnumerable<double> values)
    {
        FilterJson.CheckField(field, nameof(field));
        ArgumentNullException.ThrowIfNull(values);
        var copy = values.ToArray();
        foreach (var value in copy)
        {
            FilterJson.CheckFinite(value, nameof(values));
        }

        return new Filter(field, op, copy);
    }

    private static Filter Dates(string field, string op, IEnumerable<DateTimeOffset> values)
    {
        FilterJson.CheckField(field, nameof(field));
        ArgumentNullException.ThrowIfNull(values);
        return new Filter(field, op, values.Select(FilterJson.FormatDate).ToArray());
    }

    private static Filter Nodes(string field, string op, IEnumerable<JsonNode?> values)
    {
        FilterJson.CheckField(field, nameof(field));
        ArgumentNullException.ThrowIfNull(values);
        return new Filter(field, op, values.Select(static value => FilterJson.CopyValue(value, nameof(values))).ToArray());
    }

    // Values as a single condition holds them: as given, but dates as written and true and false boxed once.

    private static readonly object True = true;
    private static readonly object False = false;

    private static string? Held(string? value) => value;

    private static object Held(bool value) => value ? True : False;

    private static int Held(int value) => value;

    private static long Held(long value) => value;

    private static decimal Held(decimal value) => value;

    private static double Held(double value, string paramName)
    {
        FilterJson.CheckFinite(value, paramName);
        return value;
    }

    private static string Held(DateTimeOffset value) => FilterJson.FormatDate(value);

    // Writing

    /// <summary>The filter's JSON object; a JSON tree writes itself.</summary>
    private void WriteTo(Utf8JsonWriter writer)
    {
        if (_field is not null)
        {
            writer.WriteStartObject();
            WriteCondition(writer);
            writer.WriteEndObject();
        }
        else if (_conjuncts is { } conjuncts)
        {
            WriteAnd(writer, conjuncts);
        }
        else
        {
            _root!.WriteTo(writer);
        }
    }

    /// <summary>A single condition's member: <c>"f":v</c> or <c>"f":{"$op":v}</c>.</summary>
    private void WriteCondition(Utf8JsonWriter writer)
    {
        writer.WritePropertyName(_field!);
        if (_operator is null)
        {
            WriteValue(writer, _value);
            return;
        }

        writer.WriteStartObject();
        writer.WritePropertyName(_operator);
        WriteValue(writer, _value);
        writer.WriteEndObject();
    }

    /// <summary>
    /// An AND of single conditions, merged as <see cref="FilterJson.And"/> merges JSON objects: a field's first condition
    /// takes its place; a later operator condition on it joins it while the first is an operator condition and no
    /// operator repeats; any other goes into <c>$and</c>, in order.
    /// </summary>
    private static void WriteAnd(Utf8JsonWriter writer, Filter[] conjuncts)
    {
        // role[i]: -1 when conjunct i is its field's first, the index of that first when it joins it, -2 when it clashes.
        var role = conjuncts.Length <= 64 ? stackalloc int[conjuncts.Length] : new int[conjuncts.Length];
        var clashes = false;
        for (var i = 0; i < conjuncts.Length; i++)
        {
            role[i] = -1;
            for (var first = 0; first < i; first++)
            {
                if (role[first] == -1 && conjuncts[first]._field == conjuncts[i]._field)
                {
                    role[i] = Joins(conjuncts, role, first, i) ? first : -2;
                    clashes |= role[i] == -2;
                    break;
                }
            }
        }

        writer.WriteStartObject();
        for (var i = 0; i < conjuncts.Length; i++)
        {
            if (role[i] != -1)
            {
                continue;
            }

            var head = conjuncts[i];
            if (head._operator is null)
            {
                head.WriteCondition(writer);
                continue;
            }

            writer.WritePropertyName(head._field!);
            writer.WriteStartObject();
            for (var j = i; j < conjuncts.Length; j++)
            {
                if (j == i || role[j] == i)
                {
                    writer.WritePropertyName(conjuncts[j]._operator!);
                    WriteValue(writer, conjuncts[j]._value);
                }
            }

            writer.WriteEndObject();
        }

        if (clashes)
        {
            writer.WritePropertyName("$and");
            writer.WriteStartArray();
            for (var i = 0; i < conjuncts.Length; i++)
            {
                if (role[i] == -2)
                {
                    conjuncts[i].WriteTo(writer);
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>Whether conjunct <paramref name="i"/> joins its field's first, <paramref name="first"/>, given those that joined before it.</summary>
    private static bool Joins(Filter[] conjuncts, ReadOnlySpan<int> role, int first, int i)
    {
        var op = conjuncts[i]._operator;
        if (op is null || conjuncts[first]._operator is null)
        {
            return false;
        }

        for (var j = first; j < i; j++)
        {
            if ((j == first || role[j] == first) && conjuncts[j]._operator == op)
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case JsonNode node:
                node.WriteTo(writer);
                break;
            default:
                writer.WriteStartArray();
                WriteItems(writer, value);
                writer.WriteEndArray();
                break;
        }
    }

    /// <summary>The items of a list's copy, each as its type writes (no boxing).</summary>
    private static void WriteItems(Utf8JsonWriter writer, object items)
    {
        switch (items)
        {
            case string?[] texts:
                foreach (var text in texts)
                {
                    if (text is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        writer.WriteStringValue(text);
                    }
                }

                break;
            case bool[] flags:
                foreach (var flag in flags)
                {
                    writer.WriteBooleanValue(flag);
                }

                break;
            case int[] numbers:
                foreach (var number in numbers)
                {
                    writer.WriteNumberValue(number);
                }

                break;
            case long[] numbers:
                foreach (var number in numbers)
                {
                    writer.WriteNumberValue(number);
                }

                break;
            case double[] numbers:
                foreach (var number in numbers)
                {
                    writer.WriteNumberValue(number);
                }

                break;
            case decimal[] numbers:
                foreach (var number in numbers)
                {
                    writer.WriteNumberValue(number);
                }

                break;
            case JsonNode?[] nodes:
                foreach (var node in nodes)
                {
                    WriteValue(writer, node);
                }

                break;
            default:
                throw new InvalidOperationException($"A filter holds a {items.GetType().Name}.");
        }
    }

    /// <summary>A single condition as a JSON object, for combining with a tree.</summary>
    private JsonObject SingleRoot()
    {
        var value = Node(_value);
        return new JsonObject { [_field!] = _operator is null ? value : new JsonObject { [_operator] = value } };
    }

    /// <summary>A value as a node of its own (a node value is cloned: this filter keeps its copy).</summary>
    private static JsonNode? Node(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        double number => JsonValue.Create(number),
        decimal number => JsonValue.Create(number),
        JsonNode node => node.DeepClone(),
        System.Collections.IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(Node)]),
        _ => throw new InvalidOperationException($"A filter holds a {value.GetType().Name}."),
    };

    private static void CheckOperands(Filter[] filters, string paramName)
    {
        if (filters is null)
        {
            throw new ArgumentNullException(paramName);
        }

        if (filters.Length == 0)
        {
            throw new ArgumentException($"{paramName} must hold at least one filter.", paramName);
        }

        for (var i = 0; i < filters.Length; i++)
        {
            if (filters[i] is null)
            {
                throw new ArgumentNullException(paramName, string.Format(CultureInfo.InvariantCulture, "{0}[{1}] is null.", paramName, i));
            }
        }
    }
}
