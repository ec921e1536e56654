"""The shared MetaData and column types that behave the same on both backends."""

from sqlalchemy import BigInteger, Integer, MetaData

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# SQLite only auto-increments an INTEGER PRIMARY KEY (the rowid alias), while
# PostgreSQL needs a 64-bit identity for tables that grow to billions of rows.
BigId = BigInteger().with_variant(Integer(), "sqlite")
