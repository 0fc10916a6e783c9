namespace Agents.Retrieval.Language;

/// <summary>
/// The detector's answer. <paramref name="Language"/> is "it", "en", "es", or "und" when the text
/// held nothing to go on (then <paramref name="Confidence"/> is 0). <paramref name="Confidence"/>
/// is in [0, 1] and grows with the gap between the best and the second-best language: for
/// TextCat the relative distance gap (0.5 at 3 %, where libexttextcat itself calls the result
/// ambiguous, discounted below 100 n-grams), for the lexicon the vote gap; it rises when the
/// other kind of evidence agrees and falls when it disagrees. <paramref name="Method"/> says
/// which evidence decided: "textcat", "lexicon", "characters", "textcat+lexicon" or "none".
/// </summary>
public sealed record LanguageGuess(string Language, double Confidence, string Method);
