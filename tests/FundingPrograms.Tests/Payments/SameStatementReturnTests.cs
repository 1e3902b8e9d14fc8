using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Payments;

/// <summary>camt.053 statements built from the samples: a booked debit, a return of it in the same statement, an unrelated entry.</summary>
public static class Statements
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payments", "Samples", name));

    /// <summary>
    /// booked-and-unrelated.xml with its first debit paying <paramref name="endToEnd"/> and, when <paramref name="returnFirst"/> is
    /// null, nothing else added; otherwise the return of that transfer (RtrInf AC04) inserted before (true) or after (false) the debits.
    /// </summary>
    public static string BookedAndReturned(string endToEnd, decimal amount, string grantReference, string statementId, bool? returnFirst = false,
        (string EndToEnd, decimal Amount, string GrantReference)? extraDebit = null)
    {
        var text = Text(amount);
        var original = Sample("booked-and-unrelated.xml");
        var statement = original.Replace("E2E-TEST-0001", endToEnd).Replace("7500.00", text)
            .Replace("ZB-2026-ABCDEF12", grantReference).Replace("STMT-2026-03-16-0001", statementId);
        if (extraDebit is { } extra)
        {
            var from = original.IndexOf("<Ntry>", StringComparison.Ordinal);
            var to = original.IndexOf("</Ntry>", StringComparison.Ordinal) + "</Ntry>".Length;
            var debit = original[from..to].Replace("E2E-TEST-0001", extra.EndToEnd).Replace("7500.00", Text(extra.Amount))
                .Replace("ZB-2026-ABCDEF12", extra.GrantReference).Replace("BANKREF-20260316-0001", "BANKREF-" + statementId + "-X");
            statement = statement.Insert(statement.IndexOf("<Ntry>", StringComparison.Ordinal), debit + "\n      ");
        }
        if (returnFirst is null) return statement;
        var returned = Sample("returned.xml");
        var start = returned.IndexOf("<Ntry>", StringComparison.Ordinal);
        var end = returned.IndexOf("</Ntry>", StringComparison.Ordinal) + "</Ntry>".Length;
        var entry = returned[start..end].Replace("E2E-TEST-0001", endToEnd).Replace("7500.00", text).Replace("ZB-2026-ABCDEF12", grantReference)
            .Replace("BANKREF-20260318-0042", "BANKREF-" + statementId + "-RET");
        var at = returnFirst == true ? statement.IndexOf("<Ntry>", StringComparison.Ordinal) : statement.LastIndexOf("</Stmt>", StringComparison.Ordinal);
        return statement.Insert(at, entry + "\n      ");
    }

    private static string Text(decimal amount) => amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class when_a_transfer_is_booked_and_returned_in_one_statement(AppFixture app) : PaymentTest(app)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task the_return_is_matched_and_nothing_counts_as_paid(bool returnBeforeDebit)
    {
        var (payment, _) = await Exported(2500m);
        var view = await Payment(payment);
        var statement = Statements.BookedAndReturned(view.GetProperty("endToEndId").GetString()!, 2500m,
            view.GetProperty("grantReference").GetString()!, "STMT-SAME-" + returnBeforeDebit, returnBeforeDebit);

        var imported = (await Import(statement)).Json();
        imported.GetProperty("booked").GetInt32().ShouldBe(1);
        imported.GetProperty("returned").GetInt32().ShouldBe(1);
        imported.GetProperty("unmatched").GetInt32().ShouldBe(2);

        var after = await Payment(payment);
        after.GetProperty("state").GetString().ShouldBe("returned");
        after.GetProperty("returnReasonCode").GetString().ShouldBe("AC04");
        var ledger = (await Get(ApplicantToken, $"/grants/{GrantId}")).Json();
        ledger.GetProperty("paid").GetDecimal().ShouldBe(0m);
        (await Budget(FundingYear)).GetProperty("paid").GetDecimal().ShouldBe(0m);
    }
}
