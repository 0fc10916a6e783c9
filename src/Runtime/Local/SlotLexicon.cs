namespace Agents.Runtime.Local;

/// <summary>
/// The words slot extraction knows, all folded (lower case, no accents). Stop words, intent words
/// and category words of the three languages are used together, because shoppers mix languages and
/// product names ("Nero d'Avola", "pesto alla trapanese") travel across them; number words are per
/// language, where they would clash ("once", "due", "sei").
/// </summary>
internal static class SlotLexicon
{
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> NumberWords { get; } = new Dictionary<string, IReadOnlyDictionary<string, int>>
    {
        ["en"] = Numbers("one two three four five six seven eight nine ten eleven twelve"),
        ["it"] = Numbers("uno due tre quattro cinque sei sette otto nove dieci undici dodici"),
        ["es"] = Numbers("uno dos tres cuatro cinco seis siete ocho nueve diez once doce"),
    };

    /// <summary>Multi-word amounts, checked before single numbers.</summary>
    public static IReadOnlyList<(string Phrase, int Value)> NumberPhrases { get; } =
    [
        ("half a dozen", 6), ("half dozen", 6), ("mezza dozzina", 6), ("media docena", 6),
        ("a dozen", 12), ("dozen", 12), ("una dozzina", 12), ("dozzina", 12), ("una docena", 12), ("docena", 12),
        ("a couple of", 2), ("a couple", 2), ("un paio di", 2), ("un paio", 2), ("un par de", 2), ("un par", 2),
    ];

    /// <summary>Articles, prepositions, pronouns, politeness, fillers: never part of a product's name at its edges.</summary>
    public static IReadOnlySet<string> StopWords { get; } = Words("""
        a an the of to for in on at by with from and or but my your our me i you it its them they this that these those
        one ones some any please pls plz thanks thank hi hello hey ok okay yes yeah no not also too just only really very so
        then now there here what which who is are be was am do does did can could would will should may might shall euro euros eur
        il lo la i gli le l un una uno del dello della dei degli delle dell al allo alla ai agli alle all dal dallo dalla dai
        dagli dalle dall nel nello nella nei negli nelle nell sul sullo sulla sui sugli sulle sull di da in con su per tra fra
        e ed o od ma mi ti ci vi si ne me te ce ve se mio mia miei mie tuo tua tuoi tue suo sua nostro nostra vostro vostra
        questo questa questi queste quello quella quelli quelle quel quei che chi cui d c anche pure solo poi ora adesso
        ciao grazie prego favore per piacere si no non ok va bene allora ecco qui qua li la
        el los las unos unas lo al del de en con sin por para y o u pero mis tus sus nuestro nuestra vuestro vuestra
        este esta estos estas ese esa esos esas aquel aquella esto eso que quien cual tambien solo luego ahora aqui
        hola gracias porfa porfavor vale si no bueno pues
        guys ragazzi chicos
        mom mum mother dad father friend friends wife husband kids children daughter son girlfriend boyfriend grandma colleague
        mamma madre papa padre amico amica amici moglie marito figlia figlio figli bambini fidanzata fidanzato nonna collega
        mama amigo amiga amigos esposa marido hija hijo hijos ninos novia novio abuela companero
        """);

    /// <summary>Words that say what the shopper wants done, not which product: verbs, cart and order nouns, question words.</summary>
    public static IReadOnlySet<string> IntentWords { get; } = Words("""
        add put pop take buy get grab want need like id ill im have has had remove delete drop cancel rid change update set make
        increase reduce decrease lower raise bump double quantity amount number cart basket bag trolley order orders checkout
        show see look looking search searching find finding sell recommend suggest tell know give send buying
        how much many where when why price prices cost costs costing priced whats wheres hows does contain contains containing ingredients
        ingredient allergens allergen weight weigh weighs origin come comes made details detail describe info information about
        more less anymore instead rather actually something anything else stock available availability left item items product products
        thing things stuff option options typical good best nice can could difference compare
        gluten lactose milk dairy nuts eggs sugar alcohol spicy hot
        aggiungi aggiungere aggiungilo aggiungila aggiungili aggiungile aggiungine aggiungimi metti mettere mettilo mettila
        mettili mettile mettine mettimi prendi prendo prendere prendilo prendila prendine prendimi compra compro comprare comprarlo
        comprarla voglio vorrei vuoi serve servono mi servirebbe togli togliere toglilo toglila toglili rimuovi rimuovere rimuovilo
        rimuovila elimina eliminare eliminalo eliminala leva levalo levala cancella cancellalo cambia cambiare aggiorna imposta
        aumenta riduci diminuisci porta portalo lascia lascialo quantita numero carrello carrelli ordine ordini cassa
        mostra mostrami fammi vedere cerco cercavo cerca cercare trovare avete hai vendete vendi consigli consigliami consigliate
        dimmi dammi quanto quanta quanti quante costa costano costo prezzo prezzi dove quando come cosa contiene contengono
        ingredienti allergeni peso pesa origine viene vengono fatto dettagli informazioni info parlami piu meno invece anzi
        qualcosa altro altri disponibile disponibili articolo articoli prodotto prodotti tipico buono buoni migliore
        fai fate puoi potete potresti differenza confronto glutine lattosio latte noci uova zucchero alcol piccante
        anade anadir anadelo anadela anadelos anadelas agrega agregar agregalo agregala pon poner ponlo ponla ponme mete meter
        metelo echalo coge coger cogelo llevo llevar compra compro comprar comprarlo quiero quisiera quieres necesito
        quita quitar quitalo quitala quitalos saca sacar sacalo sacala elimina eliminar eliminalo eliminala borra borrar borralo
        cambia cambiar actualiza sube subir baja bajar aumenta reduce disminuye deja dejalo cantidad numero carrito carro cesta
        pedido pedidos caja muestra muestrame ensename ver busco buscaba busca buscar encontrar teneis tienes vendeis vendes
        recomienda recomiendame recomendais dime dame cuanto cuanta cuantos cuantas cuesta cuestan precio precios donde cuando
        como que contiene lleva llevan ingredientes alergenos pesa peso origen viene vienen hecho detalles informacion hablame
        mas menos ya vez lugar mejor dicho algo otro otra disponible disponibles articulo articulos producto productos tipico bueno
        puedes podeis puede diferencia comparar lactosa leche nueces huevos azucar alcohol picante pica
        """);

    /// <summary>Words that point back at something already shown: "add it", "il secondo".</summary>
    public static IReadOnlyDictionary<string, int> Ordinals { get; } = new Dictionary<string, int>
    {
        ["first"] = 1, ["second"] = 2, ["third"] = 3, ["fourth"] = 4, ["fifth"] = 5, ["last"] = -1,
        ["primo"] = 1, ["prima"] = 1, ["secondo"] = 2, ["seconda"] = 2, ["terzo"] = 3, ["terza"] = 3, ["quarto"] = 4, ["quarta"] = 4,
        ["quinto"] = 5, ["quinta"] = 5, ["ultimo"] = -1, ["ultima"] = -1,
        ["primero"] = 1, ["primera"] = 1, ["segundo"] = 2, ["segunda"] = 2, ["tercero"] = 3, ["tercera"] = 3, ["cuarto"] = 4, ["cuarta"] = 4,
    };

    /// <summary>Containers and measures that come between a quantity and a product: "2 bottles of", "3 vasetti di".</summary>
    public static IReadOnlySet<string> Units { get; } = Words("""
        bottle bottles jar jars pack packs packet packets box boxes piece pieces tin tins can cans bag bags kg g gr l lt ml cl x
        bottiglia bottiglie vasetto vasetti barattolo barattoli confezione confezioni pacco pacchi pezzo pezzi scatola scatole latta lattine
        botella botellas tarro tarros bote botes paquete paquetes caja cajas pieza piezas lata latas unidad unidades
        """);

    /// <summary>Category words a shopper uses, passed to search as free text (multi-word first).</summary>
    public static IReadOnlyList<string> Categories { get; } =
    [
        "gift box", "gift boxes", "gift basket", "olive oil", "red wine", "white wine", "cured meats", "cesto regalo", "cesti regalo",
        "cassetta regalo", "confezione regalo", "olio d'oliva", "vino rosso", "vino bianco", "cesta regalo", "aceite de oliva",
        "vino tinto", "vino blanco", "gift", "gifts", "present", "presents", "hamper", "hampers", "wine", "wines", "cheese", "cheeses",
        "sweets", "desserts", "dessert", "chocolate", "chocolates", "oil", "pasta", "honey", "spirits", "liqueur", "liqueurs",
        "spices", "salt", "salami", "preserves", "jam", "marmalade", "citrus", "oranges", "lemons", "pistachio", "snacks", "coffee",
        "biscuits", "cookies", "sauces", "regalo", "regali", "cesto", "cesti", "vino", "vini", "formaggio", "formaggi", "dolci",
        "cioccolato", "cioccolatini", "olio", "miele", "liquori", "liquore", "spezie", "sale", "salumi", "conserve", "marmellata",
        "marmellate", "agrumi", "arance", "limoni", "pistacchio", "biscotti", "salse", "regalos", "lote", "lotes",
        "vinos", "queso", "quesos", "dulces", "postre", "postres", "chocolates", "aceite", "miel", "licores", "licor", "especias",
        "sal", "embutidos", "conservas", "mermelada", "mermeladas", "citricos", "naranjas", "limones", "pistacho", "galletas", "salsas",
    ];

    private static Dictionary<string, int> Numbers(string words) =>
        words.Split(' ').Select((w, i) => (w, i + 1)).ToDictionary(x => x.w, x => x.Item2, StringComparer.Ordinal);

    private static HashSet<string> Words(string words) =>
        words.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
