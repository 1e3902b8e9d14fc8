using FundingPrograms.Infrastructure;

namespace FundingPrograms.Tests.Deciders;

public sealed class when_a_german_text_names_money_dates_and_terms
{
    [Fact]
    public void amounts_have_a_decimal_comma_and_thousands_points()
    {
        German.Money(1028.08m).ShouldBe("1.028,08 EUR");
        German.Money(750m).ShouldBe("750,00 EUR");
        German.Money(1234567.5m).ShouldBe("1.234.567,50 EUR");
        German.Date(new DateOnly(2027, 1, 24)).ShouldBe("24.01.2027");
    }

    [Fact]
    public void the_changed_terms_of_an_amendment_are_named_in_german()
    {
        German.Terms(["amount", "yearSplit"]).ShouldBe("Zuwendungsbetrag und Aufteilung auf die Haushaltsjahre");
        German.Terms(["amount", "period", "conditions"]).ShouldBe("Zuwendungsbetrag, Bewilligungszeitraum und Nebenbestimmungen");
        German.Terms(["period"]).ShouldBe("Bewilligungszeitraum");
    }
}
