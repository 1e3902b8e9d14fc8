using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Payments;
using FundingPrograms.Programmes;
using static FundingPrograms.Tests.Deciders.Given;

namespace FundingPrograms.Tests.Deciders;

/// <summary>
/// Booking and returns (Booking.Book/Return, as the statement import and a manual match append them): what counts as paid on the
/// grant and the budget, in which year (§ 72 LHO); no database.
/// </summary>
public sealed class BookingDeciderTests
{
    private static readonly Guid StatementId = Guid.NewGuid();
    private static readonly DateOnly Booked = new(2027, 2, 3);

    private static StatementEntry Entry(string key, decimal amount, string? e2e, bool isReturn = false, DateOnly? on = null, string? code = null,
        string? text = null) =>
        new(key, amount, "EUR", !isReturn, isReturn, on ?? Booked, e2e, Account.Iban, Account.HolderName, "ZB", code, text, null);

    private static ImportedEntry[] Match(Payment[] candidates, params StatementEntry[] entries) =>
        StatementMatching.Match(new BankStatement("camt.053.001.08", "MSG", "STMT-1", "DE", Now, entries), candidates, new HashSet<string>());

    private static void Post(Posting posting, Payment payment, Grant grant, Programme programme)
    {
        switch (posting.OnPayment)
        {
            case PaymentBooked b: payment.Apply(b); break;
            case PaymentReturned r: payment.Apply(r); break;
        }
        if (posting.OnGrant is { } paid) grant.Apply(paid);
        if (posting.OnProgramme is { } budget) programme.Apply(budget);
    }

    [Fact]
    public void a_matching_debit_books_the_payment_and_counts_it_as_paid_on_the_grant_and_the_budget()
    {
        var (g, p, _) = Granted();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        var entry = Match([payment], Entry("E-1", 700m, payment.EndToEndId)).ShouldHaveSingleItem();
        entry.Status.ShouldBe(EntryStatus.Matched);
        entry.PaymentId.ShouldBe(payment.Id);

        var posting = Booking.Book(payment, g, StatementId, entry.Key, entry.BookingDate, false, null, Now);
        posting.OnPayment.ShouldBe(new PaymentBooked(payment.Id, StatementId, "E-1", Booked, false, null, Now));
        posting.OnGrant.ShouldBe(new GrantPaid(g.Id, payment.Id, 700m, 2027, Booked, Now));
        posting.OnProgramme.ShouldBe(new BudgetPaid(p.Id, g.Id, payment.Id, Line, 2027, 700m, Now));

        Post(posting, payment, g, p);
        payment.State.ShouldBe(PaymentState.Booked);
        payment.BookingDate.ShouldBe(Booked);
        payment.RetentionUntil.ShouldBe(new DateOnly(2035, 12, 31));
        g.Paid.ShouldBe(700m);
        p.BudgetFor(Line, 2027)!.Paid.ShouldBe(700m);
    }

    [Fact]
    public void a_payment_counts_in_the_year_of_its_booking_date_not_the_year_it_was_needed_in()
    {
        var (g, p, _) = Granted(start: new DateOnly(2027, 7, 1), end: new DateOnly(2028, 6, 30), split: [new(2027, 3000m), new(2028, 4000m)]);
        var payment = PaymentIn(g, 700m, PaymentState.Exported); // needed in 2027
        var posting = Booking.Book(payment, g, StatementId, "E-1", new DateOnly(2028, 1, 2), false, null, Now);
        posting.OnGrant!.BudgetYear.ShouldBe(2028);
        posting.OnProgramme!.Year.ShouldBe(2028);
        Post(posting, payment, g, p);
        g.PaidPerYear.ShouldBe([new YearAmount(2028, 700m)]);
    }

    [Fact]
    public void a_manual_match_books_with_its_reason()
    {
        var (g, _, _) = Granted();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        var booked = Booking.Book(payment, g, StatementId, "E-9", Booked, true, "Sammelbuchung der Bank", Now).OnPayment.ShouldBeOfType<PaymentBooked>();
        booked.Manual.ShouldBeTrue();
        booked.Reason.ShouldBe("Sammelbuchung der Bank");
    }

    [Fact]
    public void a_return_of_a_booked_payment_carries_the_reason_code_and_takes_the_money_back_in_the_year_of_the_return()
    {
        var (g, p, _) = Granted();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        Post(Booking.Book(payment, g, StatementId, "E-1", Booked, false, null, Now), payment, g, p);

        var returnedOn = new DateOnly(2027, 2, 10);
        var entry = Match([payment], Entry("E-2", 700m, payment.EndToEndId, isReturn: true, on: returnedOn, code: "AC04", text: "Konto erloschen")).Single();
        entry.Status.ShouldBe(EntryStatus.Returned);
        entry.ReturnReasonCode.ShouldBe("AC04");

        var posting = Booking.Return(payment, false, g, StatementId, entry, Now);
        posting.OnPayment.ShouldBe(new PaymentReturned(payment.Id, StatementId, "E-2", "AC04", "Konto erloschen", Now));
        posting.OnGrant.ShouldBe(new GrantPaid(g.Id, payment.Id, -700m, 2027, returnedOn, Now));
        posting.OnProgramme.ShouldBe(new BudgetPaid(p.Id, g.Id, payment.Id, Line, 2027, -700m, Now));
        Post(posting, payment, g, p);
        payment.State.ShouldBe(PaymentState.Returned);
        payment.ReturnReasonCode.ShouldBe("AC04");
        payment.ReturnReasonText.ShouldBe("Konto erloschen");
        g.Paid.ShouldBe(0m);
        p.BudgetFor(Line, 2027)!.Paid.ShouldBe(0m);
    }

    [Fact]
    public void a_return_of_a_payment_never_booked_changes_nothing_that_was_paid()
    {
        var (g, _, _) = Granted();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        var entry = Match([payment], Entry("E-2", 700m, payment.EndToEndId, isReturn: true, code: "AC01")).Single();
        entry.Status.ShouldBe(EntryStatus.Returned);
        var posting = Booking.Return(payment, false, g, StatementId, entry, Now);
        posting.OnPayment.ShouldBeOfType<PaymentReturned>().ReasonCode.ShouldBe("AC01");
        posting.OnGrant.ShouldBeNull();
        posting.OnProgramme.ShouldBeNull();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void a_return_in_the_same_statement_as_its_debit_books_and_takes_back_so_nothing_counts_as_paid(bool returnFirst)
    {
        var (g, p, _) = Granted();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        var debit = Entry("E-1", 700m, payment.EndToEndId);
        var back = Entry("E-2", 700m, payment.EndToEndId, isReturn: true, code: "AC04");
        var entries = returnFirst ? Match([payment], back, debit) : Match([payment], debit, back);
        entries.Single(e => e.Key == "E-1").Status.ShouldBe(EntryStatus.Matched);
        entries.Single(e => e.Key == "E-2").Status.ShouldBe(EntryStatus.Returned);
        entries.ShouldAllBe(e => e.PaymentId == payment.Id);

        // As the import appends them: bookings first, then returns, the return knowing the booking of this import.
        var booked = Booking.Book(payment, g, StatementId, "E-1", Booked, false, null, Now);
        var returned = Booking.Return(payment, true, g, StatementId, entries.Single(e => e.Key == "E-2"), Now);
        returned.OnGrant.ShouldNotBeNull().Amount.ShouldBe(-700m);
        Post(booked, payment, g, p);
        Post(returned, payment, g, p);
        payment.State.ShouldBe(PaymentState.Returned);
        g.Paid.ShouldBe(0m);
        p.BudgetFor(Line, 2027)!.Paid.ShouldBe(0m);
    }

    [Fact]
    public void a_manual_match_is_only_for_an_unmatched_debit_of_the_same_amount_and_an_exported_payment()
    {
        var (g, _, _) = Granted();
        var payment = PaymentIn(g, 700m, PaymentState.Exported);
        var imported = Match([], Entry("E-1", 700m, null), Entry("E-2", 650m, null), Entry("E-3", 700m, "X", isReturn: true));
        var statement = StatementRecord.Create(new BankStatementImported(StatementId, "camt.053.001.08", "MSG", "STMT-1", "DE", Now, imported, Now));
        statement.Entries.ShouldAllBe(e => e.Status == EntryStatus.Unmatched);
        MatchStatementEntry Cmd(string key) => new(key, payment.Id, " Sammelbuchung ", 1);

        Refused(() => MatchStatementEntryEndpoint.Decide(statement, payment, Cmd("E-404"), Now), 404, ProblemTypes.NotFound);
        Refused(() => MatchStatementEntryEndpoint.Decide(statement, payment, Cmd("E-2"), Now), 422, ProblemTypes.BusinessRule)
            .Errors("paymentId")[0].ShouldContain("700.00 EUR, the entry 650.00 EUR");
        Refused(() => MatchStatementEntryEndpoint.Decide(statement, payment, Cmd("E-3"), Now), 422, ProblemTypes.BusinessRule).Fields().ShouldBe(["entryKey"]);
        Refused(() => MatchStatementEntryEndpoint.Decide(statement, PaymentIn(g, 700m, PaymentState.Booked), Cmd("E-1"), Now), 422, ProblemTypes.BusinessRule)
            .Errors("paymentId")[0].ShouldContain("booked, not exported");

        var matched = MatchStatementEntryEndpoint.Decide(statement, payment, Cmd("E-1"), Now).ShouldHaveSingleItem().ShouldBeOfType<StatementEntryMatched>();
        matched.ShouldBe(new StatementEntryMatched(StatementId, "E-1", payment.Id, "Sammelbuchung", Now));
        statement.Apply(matched);
        statement.Entries.Single(e => e.Key == "E-1").PaymentId.ShouldBe(payment.Id);
        Refused(() => MatchStatementEntryEndpoint.Decide(statement, payment, Cmd("E-1"), Now), 409, ProblemTypes.InvalidState);
    }
}
