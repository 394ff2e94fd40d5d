"""French texts of every AG Grid of the app (``dashGridOptions={"localeText": ...}``): what a screen reader
announces (pagination buttons, sort and selection hints, filter fields) as well as what is seen. AG Grid's own
defaults are English ("First Page", "Press Space to toggle row selection"); each key below is one AG Grid
reads (dash-ag-grid 35), translated here, not copied from a locale package.

``grid_locale(noRowsToShow="Aucune ville")`` adds or overrides a grid's own texts.
"""
from __future__ import annotations

GRID_FR: dict[str, str] = {
    # pagination (rendered, hidden, even by grids that do not paginate: read by screen readers)
    "page": "Page", "of": "sur", "to": "à", "more": "plus", "firstPage": "Première page",
    "lastPage": "Dernière page", "nextPage": "Page suivante", "previousPage": "Page précédente",
    "pageSizeSelectorLabel": "Lignes par page :", "ariaPageSizeSelectorLabel": "Lignes par page",
    "pageLastRowUnknown": "?",
    # states
    "loadingOoo": "Chargement…", "loadingError": "Erreur", "noRowsToShow": "Aucune ligne",
    "invalidNumber": "Nombre invalide", "invalidDate": "Date invalide", "invalidBigInt": "Nombre invalide",
    "invalidSelectionValidation": "Sélection invalide.",
    # filters
    "filterOoo": "Filtrer…", "applyFilter": "Appliquer", "clearFilter": "Effacer", "resetFilter": "Réinitialiser",
    "cancelFilter": "Annuler", "textFilter": "Filtre de texte", "numberFilter": "Filtre de nombre",
    "bigintFilter": "Filtre de nombre", "dateFilter": "Filtre de date", "setFilter": "Filtre de valeurs",
    "empty": "Choisir", "equals": "Égal à", "notEqual": "Différent de", "lessThan": "Inférieur à",
    "greaterThan": "Supérieur à", "lessThanOrEqual": "Inférieur ou égal à",
    "greaterThanOrEqual": "Supérieur ou égal à", "inRange": "Entre", "inRangeStart": "De", "inRangeEnd": "À",
    "contains": "Contient", "notContains": "Ne contient pas", "startsWith": "Commence par",
    "endsWith": "Se termine par", "blank": "Vide", "notBlank": "Non vide", "before": "Avant", "after": "Après",
    "andCondition": "ET", "orCondition": "OU", "dateFormatOoo": "jj/mm/aaaa", "blanks": "(Vides)",
    "selectAll": "Tout sélectionner", "searchOoo": "Rechercher…", "noMatches": "Aucun résultat",
    # screen-reader texts
    "ariaChecked": "coché", "ariaUnchecked": "non coché", "ariaIndeterminate": "indéterminé",
    "ariaColumnFiltered": "Colonne filtrée", "ariaDateFilterInput": "Date du filtre",
    "ariaFilterColumn": "Ctrl + Entrée pour ouvrir le filtre", "ariaFilterFromValue": "Filtrer à partir de",
    "ariaFilterInput": "Saisie du filtre", "ariaFilterMenuOpen": "Ouvrir le menu de filtre",
    "ariaFilterToValue": "Filtrer jusqu'à", "ariaFilterValue": "Valeur du filtre",
    "ariaFilteringOperator": "Opérateur de filtre", "ariaHeaderSelection": "Colonne de sélection",
    "ariaInputEditor": "Modification de la cellule", "ariaLabelColumnFilter": "Filtre de colonne",
    "ariaLabelColumnMenu": "Menu de colonne", "ariaLabelTooltip": "Info-bulle",
    "ariaLabelSelectField": "Choisir un champ", "ariaMenuColumn": "Alt + Flèche bas pour ouvrir le menu de colonne",
    "ariaPendingChange": "Modification en attente",
    "ariaRowSelect": "Espace pour sélectionner cette ligne",
    "ariaRowDeselect": "Espace pour désélectionner cette ligne",
    "ariaRowToggleSelection": "Espace pour cocher ou décocher la ligne",
    "ariaRowSelectionDisabled": "Sélection impossible pour cette ligne",
    "ariaRowSelectAll": "Espace pour cocher ou décocher toutes les lignes",
    "ariaSortableColumn": "Entrée pour trier", "ariaSortableColumnWithCellSelection": "Alt + Entrée pour trier",
    "ariaToggleCellValue": "Espace pour changer la valeur", "ariaSkeletonCellLoading": "Ligne en chargement",
    "ariaSkeletonCellLoadingFailed": "Échec du chargement de la ligne",
    "ariaDeferSkeletonCellLoading": "Cellule en chargement", "ariaHasNote": "Cette cellule a une note.",
    "ariaValidationErrorPrefix": "Erreur de saisie",
    "ariaColumnCellSelection": "Entrée pour sélectionner toutes les cellules visibles de la colonne",
    "ariaColumnGroupExpansion": "Entrée pour déplier ou replier ce groupe de colonnes",
    "ariaSearch": "Rechercher", "ariaSearchFilterValues": "Rechercher dans les valeurs",
    "ariaVisibility": "visibilité", "ariaHidden": "masquée", "ariaVisible": "visible",
    "sortAscending": "Tri croissant", "sortDescending": "Tri décroissant", "sortUnSort": "Retirer le tri",
}


def grid_locale(**own: str) -> dict[str, str]:
    """The French texts plus a grid's own (e.g. ``noRowsToShow="Aucune ville"``)."""
    return {**GRID_FR, **own}
