"""Pure rules about people: the personal numbers ЕГН and ЛНЧ. No Flask, database or broker here."""
