using System.Collections.Frozen;

namespace Agents.Retrieval.Language;

/// <summary>
/// Words that give a chat message away when TextCat has too few n-grams to rank: greetings,
/// thanks, yes/no, function words and the shop's everyday vocabulary, with and without accents.
/// A word listed under two languages (la, con, una, vino) votes for both, which still rules out
/// the third. Product names that travel unchanged (cannoli, pecorino, arancini) are left out.
/// </summary>
internal static class ShortMessageLexicon
{
    internal const int Italian = 0;
    internal const int English = 1;
    internal const int Spanish = 2;

    private const string ItalianWords = """
        ciao salve buongiorno buondì buonasera buonanotte arrivederci grazie grazzie mille prego
        sì si certo perfetto benissimo bene allora va esatto d'accordo accordo scusate scusa
        il lo la i gli le un uno una di del della dello dei degli delle da dal dalla dai dalle
        in nel nella nei nelle su sul sulla al alla ai alle allo con per tra fra
        che chi non e è ed o ma anche se come cosa quanto quanta quanti quante quando dove
        perché perche qual quale quali sono sei siamo siete ho hai ha abbiamo avete hanno
        mi ti ci vi ne tu te mio mia miei mie tuo tua vostro vostra vostri vostre suo sua
        questo questa questi queste quello quella posso puoi può puo possiamo potete possono
        vorrei voglio volevo vuole serve c'è sto sta stato stata ancora già gia più piu
        molto molti poco solo tutto tutti tutte oggi domani ieri settimana giorni giorno
        ordine ordini ordinato ordinazione spedizione spedizioni spedite spedito spedire spedisci
        spese consegna consegnate consegnato consegnata reso resi restituire rimborso
        prezzo prezzi costa costo costano sconto carrello pagamento pagare pagato
        disponibile disponibili prodotto prodotti confezione barattolo formaggio vino
        bottiglia bottiglie arrivato arrivata arrivo arriva tracciamento codice indirizzo
        gratis gratuita gratuito buono buona ottimo fresco freschi crema pistacchio pistacchi
        dolci stagionato scatola regalo ricevuto annullare cambiare quantità
        l' un' dell' all' nell' dall' sull' quest' c' po'
        """;

    private const string EnglishWords = """
        hi hello hey thanks thank thx ty cheers bye goodbye please pls yes yeah yep nope ok okay
        sure nice cool fine perfect awesome alright sorry great the an and or of to in on at for
        with from by about if
        is are was were be been am do does did don't doesn't didn't can can't could would
        will won't have has had i i'm i've i'd you you're your my we our us it it's its
        this that these those what what's when where how much many which who why there
        any some not still yet just get got ship ships shipping shipped deliver delivery
        delivered order orders ordered return returns refund price prices cost costs discount
        cart payment pay paid available product products cheese wine bottle bottles cream
        pistachio arrived arrive arrives tracking code address free today tomorrow yesterday
        week days day box gift received cancel change quantity need want like buy send sent
        """;

    private const string SpanishWords = """
        hola buenas buenos días dias tardes noches gracias grasias muchas muchísimas adiós adios
        saludos vale sí si claro perfecto bueno genial dale listo porfa acuerdo perdón perdon
        el la los las lo le les un una unos unas de del al
        en y o u pero que qué quien cual cuál cuanto cuánto cuanta cuánta cuantos cuántos
        cuando cuándo donde dónde como cómo porque por para con sin sobre entre
        es son está esta están estan estoy hay tengo tiene tienen tenéis teneis tenemos
        puedo puede pueden podéis podeis podemos quiero quería queria quisiera necesito
        mi mis te tu tus su sus se nos os nuestro nuestra vuestro vuestra usted ustedes
        este estos estas ese esa eso muy más mas también tambien ya aún aun todavía todavia
        hoy mañana manana ayer semana pedido pedidos envío envio envíos envios enviar envían
        envian enviáis enviais enviado gastos entrega devolución devolucion devolver reembolso
        precio precios cuesta cuestan descuento carrito pago pagar pagado disponible
        disponibles producto productos queso vino botella botellas crema pistacho llegado
        llegó llego llega seguimiento código codigo dirección direccion gratis gratuito favor
        hacen hacéis haceis caja regalo recibido cancelar cambiar tarda
        """;

    /// <summary>English contractions seen as whole tokens ("shop's", "they're").</summary>
    private static readonly string[] EnglishSuffixes = ["n't", "'s", "'m", "'re", "'ve", "'ll", "'d"];

    /// <summary>Which languages each word votes for, as a bit per language.</summary>
    private static readonly FrozenDictionary<string, int> Votes = Build();

    /// <summary>
    /// Votes per language (indexed Italian, English, Spanish) for the known words of a message.
    /// An Italian elision ("dell'olio") counts its head ("dell'") and its word ("olio").
    /// </summary>
    public static double[] WordVotes(IReadOnlyList<string> words)
    {
        var votes = new double[3];
        foreach (var word in words)
        {
            if (Add(votes, word))
            {
                continue;
            }

            var apostrophe = word.IndexOf('\'', StringComparison.Ordinal);
            if (apostrophe > 0 && apostrophe < word.Length - 1)
            {
                if (EnglishSuffixes.Any(s => word.EndsWith(s, StringComparison.Ordinal)))
                {
                    votes[English]++;
                    continue;
                }

                Add(votes, word[..(apostrophe + 1)]);
                Add(votes, word[(apostrophe + 1)..]);
            }
        }

        return votes;
    }

    /// <summary>
    /// Votes of the deciding characters. Each kind counts once per message: a "¡¡¡" is as
    /// Spanish as a single "¡", and one accented word should not outvote several plain ones.
    /// </summary>
    public static double[] CharacterVotes(CharacterCues cues)
    {
        var votes = new double[3];
        votes[Spanish] += cues.SpanishMarks > 0 ? 2 : 0;
        votes[Spanish] += cues.AcuteVowels > 0 ? 1 : 0;
        votes[Italian] += cues.GraveVowels > 0 ? 1 : 0;
        return votes;
    }

    private static bool Add(double[] votes, string word)
    {
        if (!Votes.TryGetValue(word, out var mask))
        {
            return false;
        }

        for (var language = 0; language < votes.Length; language++)
        {
            votes[language] += (mask >> language & 1) == 1 ? 1 : 0;
        }

        return true;
    }

    private static FrozenDictionary<string, int> Build()
    {
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (list, language) in new[] { (ItalianWords, Italian), (EnglishWords, English), (SpanishWords, Spanish) })
        {
            foreach (var word in list.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                votes[word] = votes.GetValueOrDefault(word) | 1 << language;
            }
        }

        return votes.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
