-- down of 20261121202617: tags

ALTER TABLE public.post_tags DROP CONSTRAINT post_tags_tag_id_fkey;

-- hazard: data-loss
DROP TABLE public.post_tags;

-- hazard: data-loss
DROP TABLE public.tags;
