-- The language a person chose for pages and mail (a folder name under
-- templates/locales, such as "de"); NULL follows the browser's Accept-Language.
ALTER TABLE users ADD COLUMN language TEXT;
