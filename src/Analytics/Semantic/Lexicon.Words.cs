namespace Agents.Analytics.Semantic;

internal static partial class Lexicon
{
    /// <summary>Why a question is refused; the order is the precedence when several apply.</summary>
    public static readonly string[] RefusalOrder = ["unsafe", "other_merchant", "forecast", "unknown_metric", "not_a_question"];

    // Words that never change what is asked: articles, prepositions, auxiliaries, "show me", "please".
    // A word outside every list refuses the question (unknown_term) rather than being ignored.
    private static void AddFillers(PhraseTable t)
    {
        var filler = new Item(ItemKind.Filler);
        t.AddAll(filler,
            // English
            "an", "the", "of", "in", "on", "at", "for", "from", "to", "with", "via", "through", "thru", "over", "during", "within", "into", "across", "and", "or",
            "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "done", "have", "has", "had", "having", "we", "our", "ours", "us",
            "i", "me", "my", "you", "your", "it", "its", "this", "that", "these", "those", "there", "here", "who", "how", "when", "where", "much", "many",
            "please", "pls", "show", "tell", "give", "list", "display", "get", "got", "getting", "fetch", "find", "see", "look", "let", "lets", "know", "want",
            "need", "like", "would", "could", "can", "should", "generate", "generated", "bring", "brought", "total", "totals", "overall", "all", "entire", "whole",
            "full", "number", "numbers", "count", "value", "figure", "figures", "stats", "statistics", "data", "report", "summary", "breakdown", "so", "far",
            "up", "ok", "okay", "hey", "hi", "hello", "just", "only", "now", "currently", "right", "exactly", "s", "come", "came", "placed", "place", "received",
            "receive", "recorded", "registered", "achieved", "produced", "altogether", "shop", "store", "business", "company", "about", "regarding", "result",
            "results", "performance", "trend", "trends", "evolution", "chart", "graph", "plot", "table", "current", "period", "so far", "to date", "up to now",
            "in total", "did we", "thanks", "thank you", "what s", "there were", "ranking", "rank", "ranked", "per cent", "share", "shares", "split", "made by",
            "comes", "coming from", "went", "go", "going", "trending", "doing", "performing", "looking", "break down", "broken down", "bought something",
            "bought", "purchased", "something", "anything", "jars", "bottles", "packs", "pieces",
            // Italian
            "il", "lo", "la", "i", "gli", "le", "l", "un", "uno", "una", "di", "del", "dello", "della", "dei", "degli", "delle", "dell", "ad", "allo",
            "alla", "ai", "agli", "alle", "all", "da", "dal", "dallo", "dalla", "dai", "dagli", "dalle", "dall", "nel", "nello", "nella", "nei", "negli",
            "nelle", "nell", "su", "sul", "sullo", "sulla", "sui", "sugli", "sulle", "sull", "con", "col", "tra", "fra", "e", "ed", "o", "oppure", "chi",
            "cosa", "cos", "come", "com", "dove", "quando", "sono", "era", "erano", "stato", "stata", "stati", "state", "siamo", "sia", "essere", "abbiamo",
            "avuto", "avuta", "avuti", "avute", "ho", "hai", "ha", "hanno", "avete", "fatto", "fatti", "fatta", "fatte", "fare", "facciamo", "mostrami",
            "mostra", "mostrare", "dimmi", "dammi", "elenca", "elencami", "visualizza", "fammi", "vedere", "sapere", "conoscere", "vorrei", "voglio",
            "puoi", "potresti", "mi", "ci", "ti", "si", "ne", "nostro", "nostra", "nostri", "nostre", "mio", "mia", "miei", "mie", "totale", "totali",
            "complessivo", "complessiva", "complessivi", "complessive", "complessivamente", "numero", "ammontare", "dati", "dato", "riepilogo", "andamento",
            "situazione", "registrato", "registrati", "registrate", "generato", "generati", "ottenuto", "ottenuti", "ricevuto", "ricevuti", "ricevute",
            "arrivati", "arrivate", "arrivato", "arrivata", "provenienti", "proveniente", "venuti", "effettuati", "effettuato", "effettuate", "effettuata",
            "negozio", "attivita", "azienda", "per favore", "favore", "grazie", "ciao", "salve", "buongiorno", "adesso", "attualmente", "solo", "soltanto",
            "tutto", "tutti", "tutte", "intero", "intera", "finora", "fino ad oggi", "fino a oggi", "ad oggi", "in totale", "in tutto", "andato", "andata",
            "andati", "andate", "andiamo", "come andiamo", "acquisito", "acquisiti", "acquisite", "conquistato", "vasetti", "vasetto", "bottiglie",
            "barattoli", "confezioni", "pezzi", "grafico", "tabella", "classifica", "nel tempo", "periodo", "ecommerce", "fino ad ora", "quota", "fatturare", "tramite", "attraverso", "mediante",
            // Spanish
            "el", "los", "las", "unos", "unas", "de", "en", "para", "y", "u", "quien", "como", "donde", "cuando", "es", "son", "fue", "fueron", "eran",
            "han", "hemos", "he", "has", "hay", "habia", "hubo", "tuvimos", "tenemos", "tenido", "tuvo", "tiene", "tienen", "hicimos", "hecho", "hizo",
            "hacer", "muestrame", "muestra", "mostrar", "dime", "dame", "lista", "listar", "ver", "saber", "conocer", "quiero", "quisiera", "necesito",
            "puedes", "podrias", "nos", "te", "se", "nuestro", "nuestra", "nuestros", "nuestras", "mis", "totales", "cantidad", "datos",
            "informe", "resumen", "evolucion", "tendencia", "registrado", "registrados", "registradas", "generado", "generados", "obtenido", "obtenidos",
            "recibido", "recibidos", "recibidas", "llegaron", "llegados", "procedentes", "provenientes", "realizados", "realizadas", "realizado", "hechos",
            "tienda", "negocio", "empresa", "comercio", "por favor", "favor", "gracias", "hola", "buenas", "ahora", "actualmente", "solamente", "todo",
            "todos", "todas", "toda", "entero", "hasta ahora", "hasta hoy", "hasta la fecha", "en total", "ido", "van", "va", "grafico", "tabla",
            "clasificacion", "llevamos", "llevamos ya", "generaron", "genero", "generado en", "frascos", "botellas", "tarros", "desde", "a traves de", "mediante", "en el tiempo", "a lo largo del tiempo", "han ido", "sido", "ha sido", "han sido");
    }

    private static void AddRefusals(PhraseTable t)
    {
        void Refuse(string reason, params string[] phrases) => t.AddAll(new Item(ItemKind.Refuse, reason), phrases);

        Refuse("unknown_metric", "profit", "profits", "profitability", "margin", "margins", "gross margin", "net profit", "cost", "costs", "cogs", "expenses",
            "expense", "spend", "spending", "ad spend", "ads spend", "advertising", "ads", "marketing", "roi", "roas", "cac", "ltv", "lifetime value",
            "conversion rate", "conversion", "conversions", "traffic", "visits", "visitors", "pageviews", "page views", "bounce rate", "tax", "taxes", "vat",
            "stock", "inventory", "returns", "reviews", "ratings", "rating", "churn", "discounts", "discount", "coupons", "coupon", "earnings", "earned", "earn",
            "salary", "salaries", "wages", "payroll", "net sales", "net revenue",
            "profitto", "profitti", "margine", "margini", "guadagno", "guadagni", "guadagnato", "guadagnati", "utile", "utili", "costo", "costi", "spese",
            "spesa", "spesa pubblicitaria", "pubblicita", "tasse", "iva", "imposte", "magazzino", "scorte", "inventario", "giacenze", "visite", "visitatori",
            "traffico", "tasso di conversione", "conversioni", "recensioni", "valutazioni", "resi", "sconti", "sconto", "stipendi", "redditivita", "fatturato netto",
            "beneficio", "beneficios", "ganancia", "ganancias", "ganado", "margen", "margenes", "coste", "costes", "costos", "gasto", "gastos", "publicidad",
            "anuncios", "impuestos", "existencias", "almacen", "visitas", "visitantes", "trafico", "tasa de conversion", "conversiones", "resenas",
            "valoraciones", "devoluciones", "descuentos", "descuento", "cupones", "salarios", "rentabilidad", "ventas netas", "ingresos netos");

        Refuse("forecast", "forecast", "forecasts", "forecasting", "predict", "predicted", "prediction", "predictions", "projection", "projections", "projected",
            "expect", "expected", "expecting", "estimate", "estimated", "estimates", "will", "going to", "next", "tomorrow", "future", "upcoming", "coming",
            "previsione", "previsioni", "prevedi", "prevedere", "prevista", "previsto", "previsti", "proiezione", "proiezioni", "stima", "stime", "stimare",
            "stimato", "prossimo", "prossima", "prossimi", "prossime", "domani", "dopodomani", "futuro", "futura", "futuri", "venturo", "ventura", "sara",
            "saranno", "avremo", "faremo", "venderemo", "incasseremo", "fattureremo", "prevision", "previsiones", "predecir", "predice", "prediccion",
            "predicciones", "pronostico", "pronosticos", "proyeccion", "proyecciones", "estimacion", "estimar", "proximo", "proxima", "proximos", "proximas",
            "manana", "pasado manana", "siguiente", "que viene", "sera", "seran", "tendremos", "venderemos", "ganaremos", "facturaremos");

        Refuse("other_merchant", "competitor", "competitors", "competition", "rival", "rivals", "other shops", "other shop", "other stores", "other store",
            "other merchants", "other sellers", "other brands", "other businesses", "other companies", "all merchants", "all shops", "all stores",
            "every merchant", "every shop", "merchants", "merchant", "tenant", "tenants", "industry average", "market average", "benchmark", "industry",
            "platform average", "platform", "amazon", "ebay", "etsy", "zalando", "shopify", "concorrente", "concorrenti", "concorrenza", "altri negozi",
            "altro negozio", "altri merchant", "altri venditori", "altre aziende", "altri marchi", "tutti i negozi", "tutti i merchant", "tutti i venditori",
            "esercenti", "esercente", "media del settore", "settore", "piattaforma", "competidor", "competidores", "competencia", "otras tiendas", "otra tienda",
            "otros comercios", "otros vendedores", "otras empresas", "otras marcas", "todas las tiendas", "todos los comercios", "todos los vendedores",
            "comerciantes", "media del sector", "promedio del sector", "sector", "plataforma");

        Refuse("not_a_question", "weather", "meteo", "che tempo fa", "que tiempo hace", "clima", "rain", "pioggia", "lluvia", "temperature", "temperatura",
            "joke", "jokes", "barzelletta", "barzellette", "chiste", "chistes", "poem", "poesia", "song", "canzone", "cancion", "recipe", "ricetta", "receta",
            "news", "notizie", "noticias", "football", "calcio", "futbol", "soccer", "president", "presidente", "bitcoin", "crypto", "horoscope", "oroscopo",
            "horoscopo", "who are you", "chi sei", "quien eres", "translate", "traduci", "traduce", "capital of", "capitale");
    }

    /// <summary>
    /// Words and fragments that look like an attempt to steer the layer or the database. Checked on
    /// every token before anything else, so no phrase can hide them.
    /// </summary>
    public static readonly HashSet<string> UnsafeWords =
    [
        "drop", "delete", "deleted", "insert", "update", "truncate", "alter", "grant", "revoke", "exec", "execute", "union", "select", "sql", "pg", "schema",
        "information_schema", "script", "prompt", "prompts", "instruction", "instructions", "istruzioni", "istruzione", "instrucciones", "instruccion",
        "jailbreak", "ignore", "ignora", "ignorare", "ignorar", "ignoring", "disregard", "forget", "dimentica", "olvida", "pretend", "fingi", "finge",
        "password", "passwords", "credential", "credentials", "credenziali", "credenciales", "token", "secret", "segreto", "admin", "administrator",
        "amministratore", "root", "sudo", "hack", "hacker", "elimina", "eliminare", "cancella", "cancellare", "rimuovi", "rimuovere", "svuota", "inserisci",
        "aggiorna", "modifica", "modificare", "eliminar", "borra", "borrar", "quita", "quitar", "inserta", "insertar", "actualiza", "actualizar", "modificar",
        "remove", "modify", "wipe", "erase", "merchant_id", "set_config", "current_setting", "pg_sleep", "sleep",
    ];

    /// <summary>Characters and fragments of SQL or markup that have no place in a question about numbers.</summary>
    public static readonly string[] UnsafeFragments =
        [";", "--", "/*", "*/", "`", "\\", "pg_", "=", "<", ">", "{", "}", "$$", "||", "merchant_id", "set_config", "information_schema", "current_setting"];
}
