using System.Text;
using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Store;

/// <summary>
/// A staged batch's texts are looked up by code in the lane's dictionary list: a dictionary table that is not exactly
/// the codes 1..n of the parser's dictionary would put texts on the wrong records or none, so the insert refuses it.
/// Its numbers sit in plain arrays with a null mask made on the first null, and a lane writes a batch's rows again
/// after every flush: a null left from an earlier record must never reach a later one.
/// </summary>
public sealed class StagedBatchTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("flownb-staged-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    (CaseWriter Writer, ColumnBatch Batch, TextDictionary Dictionary, CaseStore Store) OneRecord()
    {
        var store = CaseStore.Open();
        var parser = new FlowRecordParser();
        var batch = new ColumnBatch(FlowLogFormat.Default, capacity: 4);
        Assert.True(parser.TryAppend("2 123456789010 eni-0a 10.0.0.1 10.0.0.2 1 2 6 1 40 1700000000 1700000060 ACCEPT OK"u8, batch, out _));
        batch.Count++;
        return (new CaseWriter(store.NewConnection(), dir), batch, parser.Dictionary, store);
    }

    [Fact]
    public void Texts_come_back_on_their_records()
    {
        var (writer, batch, dictionary, store) = OneRecord();
        using (store)
        using (writer)
        {
            writer.Write(batch, dictionary);
            writer.Commit([]);
            var table = writer.TableFor(batch);
            var row = store.Query($"SELECT account_id, interface_id, srcaddr, dstaddr, action, log_status FROM {table}").Rows.Single();
            Assert.Equal<object?>(["123456789010", "eni-0a", "10.0.0.1", "10.0.0.2", "ACCEPT", "OK"], row);
        }
    }

    [Theory]
    [InlineData("2")]
    [InlineData("(SELECT max(code) FROM fnb_dict_entries)")]
    public void A_dictionary_with_a_missing_code_stops_the_insert(string code)
    {
        var (writer, batch, dictionary, store) = OneRecord();
        using (store)
        using (writer)
        {
            writer.Write(batch, dictionary);
            // Code 2 lost: every text after it would move one code down onto the wrong records. The last code lost: its
            // text would be NULL on every record that has it.
            writer.Execute($"DELETE FROM fnb_dict_entries WHERE code = {code}");
            var ex = Assert.ThrowsAny<Exception>(() => writer.Write(batch, dictionary));
            Assert.Contains("not the codes 1..n", ex.Message);
        }
    }

    [Fact]
    public void Numbers_and_nulls_come_back_on_their_records_when_a_batch_is_filled_again()
    {
        using var store = CaseStore.Open();
        var parser = new FlowRecordParser();
        var batch = new ColumnBatch(FlowLogFormat.Default, capacity: 130); // past two words of the null mask
        using var writer = new CaseWriter(store.NewConnection(), dir);
        // Three fillings of the same 130 rows: no nulls at all; every third record without ports, packets and bytes
        // (as AWS writes "-"); then the other way round.
        var expected = new List<object?[]>();
        for (var filling = 0; filling < 3; filling++)
        {
            for (var row = 0; row < 130; row++)
            {
                var line = filling * 1_000 + row;
                var missing = filling switch { 0 => false, 1 => row % 3 == 0, _ => row % 3 != 0 };
                string Value(long v) => missing ? "-" : v.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var text = $"2 123456789010 eni-0a 10.0.0.1 10.0.0.2 {Value(1000 + row)} 443 6 {Value(line)} {Value(40L * line + 7)} 1700000000 1700000060 ACCEPT OK";
                Assert.True(parser.TryAppend(Encoding.ASCII.GetBytes(text), batch, out var error), error);
                batch.Line.Set(row, line);
                batch.Count++;
                expected.Add(missing ? [(long)line, null, null, null] : [(long)line, 1000 + row, (long)line, 40L * line + 7]);
            }
            writer.Write(batch, parser.Dictionary);
            batch.Count = 0;
        }
        writer.Commit([]);
        var rows = store.Query($"SELECT line, srcport, packets, bytes FROM {writer.TableFor(batch)} ORDER BY line").Rows;
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
            Assert.Equal(expected[i].Select(v => v is null ? null : (object)Convert.ToInt64(v)), rows[i].Select(v => v is null ? null : (object)Convert.ToInt64(v)));
    }
}
